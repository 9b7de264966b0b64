#pragma once
// Which collector delivers webhooks: the one holding a PostgreSQL advisory lock of its own (as
// collector/daemon/leadership.hpp does for sweeps, with another key) on a connection of its
// own. The lock dies with the connection, so a standby takes over at its next try when the
// deliverer stops or is killed. Blocking: call on a database thread.

#include <memory>

#include <pqxx/connection>

#include "common/config/database_url.hpp"

namespace streamscope::webhooks {

class delivery_lock {
public:
    explicit delivery_lock(config::database_url url);
    // Whether this collector holds the lock: checks the connection of a holder (a broken one
    // has lost it) and tries to take the lock when not held. False when the database cannot be
    // reached or another collector holds it.
    bool hold();
    // Gives the lock up (closes its connection).
    void release();
    bool held() const { return held_; }

private:
    config::database_url url_;
    std::unique_ptr<pqxx::connection> conn_;
    bool held_ = false;
};

} // namespace streamscope::webhooks
