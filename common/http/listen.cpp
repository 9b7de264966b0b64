#include "common/http/listen.hpp"

#include <sstream>
#include <stdexcept>
#include <string>

namespace streamscope::http {

std::uint16_t start_listening(boost::asio::ip::tcp::acceptor& acceptor,
                              const boost::asio::ip::tcp::endpoint& where, std::string_view name) {
    namespace asio = boost::asio;
    boost::system::error_code ec;
    acceptor.open(where.protocol(), ec);
    if (!ec) {
        acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    }
    if (!ec) {
        acceptor.bind(where, ec);
    }
    if (!ec) {
        acceptor.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        boost::system::error_code ignored;
        acceptor.close(ignored);
        std::string named(name);
        if (named.empty()) {
            std::ostringstream text; // 127.0.0.1:8080, [::]:8080
            text << where;
            named = text.str();
        }
        throw std::runtime_error("cannot listen on " + named + ": " + ec.message());
    }
    return acceptor.local_endpoint().port();
}

} // namespace streamscope::http
