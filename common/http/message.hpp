#pragma once
// The HTTP messages our clients send and our servers answer: Beast's, with whole string bodies.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace streamscope::http {

using request = boost::beast::http::request<boost::beast::http::string_body>;
using response = boost::beast::http::response<boost::beast::http::string_body>;

} // namespace streamscope::http
