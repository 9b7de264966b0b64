#pragma once
// How many exports may run at once: on this server (exports are long and read a lot; more at
// once would crowd out the API's other answers) and by one API key (so that one client cannot
// take every slot). Counted per server, not across replicas.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>

namespace streamscope::api {

struct export_settings {
    unsigned max_running = 4;
    unsigned per_key = 2;
    // Rows a key may export each day (UTC) unless it has its own quota; 0: no quota.
    std::int64_t rows_per_day = 20'000'000;
};

class export_slots {
public:
    export_slots(unsigned max_running, unsigned per_key)
        : max_running_(max_running), per_key_(per_key) {}

    // Held while an export runs; the slot is given back when the last copy goes, however the
    // export ends (finished, the client gone, the database failing). The export_slots must
    // outlive it.
    using slot = std::shared_ptr<const void>;

    enum class refusal { none, server_busy, key_busy };
    struct outcome {
        slot held; // null when refused
        refusal why = refusal::none;
    };

    // A slot for an export by API key `key` (0: without a key, limited by the server's count
    // alone).
    outcome take(std::int64_t key);

    unsigned running() const;

private:
    class release;
    void give_back(std::int64_t key);

    const unsigned max_running_;
    const unsigned per_key_;
    mutable std::mutex mutex_;
    unsigned running_ = 0;                    // guarded by mutex_
    std::map<std::int64_t, unsigned> by_key_; // keys with an export running; guarded by mutex_
};

} // namespace streamscope::api
