#include "common/http/listen.hpp"

#include <sstream>
#include <stdexcept>
#include <string>

#include <spdlog/spdlog.h>

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

std::string host_port(std::string_view host, std::uint16_t port) {
    // Appends only: GCC 12 warns about "[" + ... with a false -Wrestrict.
    const bool v6 = host.find(':') != std::string_view::npos;
    std::string out;
    if (v6) {
        out += '[';
    }
    out += host;
    if (v6) {
        out += ']';
    }
    out += ':';
    out += std::to_string(port);
    return out;
}

std::function<void(std::exception_ptr)> log_failure(std::string_view server,
                                                    std::string_view what) {
    return [prefix = std::string(server), what = std::string(what)](std::exception_ptr e) {
        if (!e) {
            return;
        }
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            spdlog::error("{}: {} failed: {}", prefix, what, ex.what());
        } catch (...) {
            spdlog::error("{}: {} failed with an exception that is not a std::exception", prefix,
                          what);
        }
    };
}

} // namespace streamscope::http
