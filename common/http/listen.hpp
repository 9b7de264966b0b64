#pragma once
// What every server of ours (the API, the collector's health server, the mock) does alike:
// opening the listening socket, naming an address in messages, and logging a coroutine that
// failed.

#include <cstdint>
#include <exception>
#include <functional>
#include <string>
#include <string_view>

#include <boost/asio/ip/tcp.hpp>

namespace streamscope::http {

// Opens `acceptor` on `where` with address reuse (a restarted server must not wait for the
// old one's connections to leave TIME_WAIT) and listens. Returns the bound port (the chosen
// one for port 0). On failure closes the acceptor and throws std::runtime_error
// "cannot listen on NAME: reason", NAME being `name` or else the endpoint.
std::uint16_t start_listening(boost::asio::ip::tcp::acceptor& acceptor,
                              const boost::asio::ip::tcp::endpoint& where,
                              std::string_view name = {});

// "HOST:PORT", with brackets around an IPv6 literal: "[::1]:8000".
std::string host_port(std::string_view host, std::uint16_t port);

// The completion handler for a detached coroutine (co_spawn) of `server`: what it threw is
// logged as "SERVER: WHAT failed: ...", so that a bug in one session is neither lost nor
// stops the others.
std::function<void(std::exception_ptr)> log_failure(std::string_view server, std::string_view what);

} // namespace streamscope::http
