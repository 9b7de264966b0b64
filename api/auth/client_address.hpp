#pragma once
// Which address a request comes from, for per-address limits: the connection's peer, or,
// when the peer is a proxy the operator trusts (TRUSTED_PROXIES), the client it names in
// X-Forwarded-For. A header from anyone else is ignored: any client can write one.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/address.hpp>

#include "common/http/message.hpp"

namespace streamscope::api {

class trusted_proxies {
public:
    // "10.0.0.0/8,192.168.1.7,fd00::/8": addresses and networks. nullopt, with the entry that
    // is neither in `bad`, when one is wrong.
    static std::optional<trusted_proxies> parse(const std::vector<std::string>& entries,
                                                std::string& bad);

    bool contains(const boost::asio::ip::address& a) const;
    bool empty() const { return networks_.empty(); }

private:
    struct network {
        boost::asio::ip::address base;
        unsigned prefix = 0;
    };
    std::vector<network> networks_;
};

// The client's address: `peer`, or, while `peer` and then each address before it in
// X-Forwarded-For (read from the right) is a trusted proxy, the next one.
boost::asio::ip::address client_address(const http::request& req,
                                        const boost::asio::ip::address& peer,
                                        const trusted_proxies& proxies);

} // namespace streamscope::api
