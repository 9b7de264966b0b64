#include "common/http/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "common/http/listen.hpp"
#include "common/http/server_state.hpp"
#include "common/http/use_tuple.hpp"

namespace streamscope::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

constexpr auto drain_poll = 20ms; // how soon a drain ends once the last connection is gone
constexpr auto accept_pause = 100ms;

} // namespace

server_state::admission server_state::admit(const std::shared_ptr<connection>& conn) {
    const std::lock_guard lock(mutex_);
    if (connections_.size() >= options.max_connections) {
        return admission::server_full;
    }
    std::size_t& from_address = per_address_[conn->address];
    if (options.max_connections_per_address != 0 &&
        from_address >= options.max_connections_per_address) {
        return admission::address_full;
    }
    ++from_address;
    connections_.insert(conn);
    return admission::admitted;
}

void server_state::forget(const std::shared_ptr<connection>& conn) {
    const std::lock_guard lock(mutex_);
    if (connections_.erase(conn) == 0) {
        return;
    }
    const auto it = per_address_.find(conn->address);
    if (it != per_address_.end() && --it->second == 0) {
        per_address_.erase(it);
    }
}

std::size_t server_state::open() const {
    const std::lock_guard lock(mutex_);
    return connections_.size();
}

void server_state::close(bool busy_too) {
    const std::lock_guard lock(mutex_);
    for (const auto& conn : connections_) {
        asio::post(conn->stream.get_executor(), [conn, busy_too] {
            if (busy_too || conn->idle) {
                conn->stream.cancel();
            }
        });
    }
}

// Shared with the accept loop and the drain, which may outlive the server object.
struct server::impl : std::enable_shared_from_this<server::impl> {
    impl(asio::io_context::executor_type executor_, server_options options, const router& routes)
        : executor(std::move(executor_)),
          state(std::make_shared<server_state>(std::move(options), routes)),
          control(asio::make_strand(executor)), acceptor(control) {}

    asio::io_context::executor_type executor;
    std::shared_ptr<server_state> state;
    // The acceptor and the drain, one at a time.
    asio::strand<asio::io_context::executor_type> control;
    tcp::acceptor acceptor;
    bool started = false;                 // on `control` only
    bool drain_started = false;           // on `control` only
    bool warned_full = false;             // on `control` only: logged the current burst of refusals
    asio::ip::address warned_address;     // on `control` only: the last address refused,
    steady::time_point warned_address_at; // and when

    const std::string& name() const { return state->options.name; }

    // Logs a refused connection: once per burst when the server is full, and when one client
    // is at its limit once a minute for the same address (a flood must not flood the log).
    void refused(server_state::admission why, const asio::ip::address& from) {
        if (why == server_state::admission::server_full) {
            if (!warned_full) {
                spdlog::warn("{}: {} connections open, the limit; closing new ones", name(),
                             state->options.max_connections);
                warned_full = true;
            }
            return;
        }
        const auto now = steady::now();
        if (now - warned_address_at < 1min && from == warned_address) {
            return;
        }
        warned_address = from;
        warned_address_at = now;
        spdlog::warn("{}: {} has {} connections open, the limit per client address; closing its "
                     "new ones (behind a reverse proxy, raise or turn off the limit)",
                     name(), from.to_string(), state->options.max_connections_per_address);
    }

    static asio::awaitable<void> accept_loop(std::shared_ptr<impl> self) {
        server_state& state = *self->state;
        while (!state.draining) {
            const asio::any_io_executor strand = asio::make_strand(self->executor);
            auto [ec, socket] = co_await self->acceptor.async_accept(strand, use_tuple);
            if (state.draining) {
                break;
            }
            if (ec) {
                // Out of descriptors and the like: back off instead of spinning.
                spdlog::warn("{}: accept: {}", self->name(), ec.message());
                asio::steady_timer pause(self->control, accept_pause);
                co_await pause.async_wait(use_tuple);
                continue;
            }
            // Answers are small and written whole: no reason to let Nagle hold them back.
            boost::system::error_code no_delay_ec;
            socket.set_option(tcp::no_delay(true), no_delay_ec);
            boost::system::error_code peer_ec;
            const auto peer = socket.remote_endpoint(peer_ec);
            if (peer_ec) {
                continue; // the client left already
            }
            auto conn = std::make_shared<connection>(std::move(socket), peer.address());
            const auto admitted = state.admit(conn);
            if (admitted != server_state::admission::admitted) {
                self->refused(admitted, peer.address());
                boost::system::error_code ignored;
                conn->stream.socket().close(ignored);
                continue;
            }
            self->warned_full = false;
            asio::co_spawn(conn->stream.get_executor(), serve_connection(self->state, conn),
                           log_failure(self->name(), "session"));
        }
    }

    static asio::awaitable<void> drain(std::shared_ptr<impl> self, std::chrono::milliseconds grace,
                                       std::function<void(bool)> stopped) {
        server_state& state = *self->state;
        const std::size_t open = state.open();
        if (open > 0 && grace > 0ms) {
            spdlog::info("{}: stopping; connections open: {}", self->name(), open);
        }
        state.close(false);
        const auto deadline = steady::now() + grace;
        asio::steady_timer tick(self->control);
        bool drained = true;
        for (;;) {
            const std::size_t left = state.open();
            if (left == 0) {
                break;
            }
            if (steady::now() >= deadline) {
                if (grace > 0ms) {
                    spdlog::warn("{}: {} connections still busy after {} ms; cutting them off",
                                 self->name(), left, grace.count());
                }
                state.close(true);
                drained = false;
                break;
            }
            tick.expires_after(drain_poll);
            co_await tick.async_wait(use_tuple);
        }
        if (grace > 0ms) {
            spdlog::info("{}: stopped", self->name());
        }
        if (stopped) {
            stopped(drained);
        }
    }

    // On `control`.
    void begin_stop(std::chrono::milliseconds grace, std::function<void(bool)> stopped) {
        if (drain_started) {
            return;
        }
        drain_started = true;
        state->draining = true;
        boost::system::error_code ignored;
        acceptor.close(ignored);
        asio::co_spawn(control, drain(shared_from_this(), grace, std::move(stopped)),
                       log_failure(name(), "drain"));
    }
};

server::server(asio::io_context::executor_type executor, server_options options,
               const router& routes)
    : impl_(std::make_shared<impl>(std::move(executor), std::move(options), routes)) {}

server::~server() {
    std::shared_ptr<impl> self = impl_;
    asio::post(self->control, [self] { self->begin_stop(0ms, {}); });
}

std::uint16_t server::listen() {
    tcp::acceptor& acceptor = impl_->acceptor;
    if (acceptor.is_open()) {
        return acceptor.local_endpoint().port(); // listening already
    }
    const server_options& options = impl_->state->options;
    boost::system::error_code ec;
    tcp::endpoint endpoint;
    const auto address = asio::ip::make_address(options.host, ec);
    if (!ec) {
        endpoint = tcp::endpoint(address, options.port);
    } else {
        // A host name ("localhost"): its first address.
        tcp::resolver resolver(impl_->executor);
        const auto found = resolver.resolve(options.host, std::to_string(options.port),
                                            tcp::resolver::passive, ec);
        if (!ec && found.empty()) {
            ec = asio::error::host_not_found;
        }
        if (!ec) {
            endpoint = found.begin()->endpoint();
        }
    }
    if (ec) {
        throw std::runtime_error("cannot listen on " + host_port(options.host, options.port) +
                                 ": " + ec.message());
    }
    return start_listening(acceptor, endpoint, host_port(options.host, options.port));
}

void server::start() {
    if (!impl_->acceptor.is_open()) {
        listen();
    }
    std::shared_ptr<impl> self = impl_;
    asio::post(self->control, [self] {
        if (self->started || self->drain_started) {
            return;
        }
        self->started = true;
        asio::co_spawn(self->control, impl::accept_loop(self),
                       log_failure(self->name(), "accept loop"));
    });
}

void server::stop(std::chrono::milliseconds grace, std::function<void(bool drained)> stopped) {
    std::shared_ptr<impl> self = impl_;
    asio::post(self->control, [self, grace, stopped = std::move(stopped)]() mutable {
        self->begin_stop(grace, std::move(stopped));
    });
}

std::size_t server::connections() const {
    return impl_->state->open();
}

} // namespace streamscope::http
