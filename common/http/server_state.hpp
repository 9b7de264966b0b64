#pragma once
// Inside the server (server.cpp and session.cpp only): what its connections share with it.

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_set>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "common/http/server.hpp"

namespace streamscope::http {

// A connection, shared between its session and the drain, which closes it when idle. Both
// touch it only on the connection's strand.
struct connection {
    explicit connection(boost::asio::ip::tcp::socket socket, boost::asio::ip::address from)
        : stream(std::move(socket)), address(std::move(from)) {}
    boost::beast::tcp_stream stream;
    const boost::asio::ip::address address; // the client's
    bool idle = false; // waiting for a request to begin: nothing is lost by closing it
};

// Held by every session, so that a session that a forced stop left behind can end after the
// server object.
struct server_state {
    server_state(server_options o, const router& r) : options(std::move(o)), routes(r) {}

    const server_options options;
    const router& routes;
    std::atomic<bool> draining{false};

    enum class admission { admitted, server_full, address_full };
    // Adds the connection unless max_connections are open, or max_connections_per_address
    // from its address.
    admission admit(const std::shared_ptr<connection>& conn);
    void forget(const std::shared_ptr<connection>& conn);
    std::size_t open() const;
    // Closes every connection that waits for a request (all of them: `busy_too`). Sessions that
    // are busy see `draining` when they finish their response, and close then.
    void close(bool busy_too);

private:
    mutable std::mutex mutex_;
    std::unordered_set<std::shared_ptr<connection>> connections_; // guarded by mutex_
    // Open connections by client address, for max_connections_per_address; guarded by mutex_.
    std::map<boost::asio::ip::address, std::size_t> per_address_;
};

// Serves one connection until the client leaves, a deadline passes or the server drains.
boost::asio::awaitable<void> serve_connection(std::shared_ptr<server_state> state,
                                              std::shared_ptr<connection> conn);

} // namespace streamscope::http
