#pragma once
// Opening a listening socket, the same way for every server of ours.

#include <cstdint>
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

} // namespace streamscope::http
