#include <cstdint>
#include <limits>

#include <catch2/catch.hpp>

#include "common/metrics/text_writer.hpp"

using namespace streamscope::metrics;

TEST_CASE("sample values are exact and spelled as the format wants", "[unit][metrics]") {
    CHECK(format_value(0.25) == "0.25");
    CHECK(format_value(1800000000.25) == "1800000000.25");
    CHECK(format_value(300.0) == "300");
    CHECK(format_value(0.1) == "0.1");
    CHECK(format_value(std::numeric_limits<double>::quiet_NaN()) == "NaN");
    CHECK(format_value(std::numeric_limits<double>::infinity()) == "+Inf");
    CHECK(format_value(-std::numeric_limits<double>::infinity()) == "-Inf");
    CHECK(format_value(std::int64_t{-7}) == "-7");
    CHECK(format_value(std::numeric_limits<std::uint64_t>::max()) == "18446744073709551615");
}

TEST_CASE("families, labels and their escaping", "[unit][metrics]") {
    text_writer m{"app_"};
    m.family("requests_total", "counter", "Requests.");
    m.sample("requests_total", {{"route", "/a\"b\\c\nd"}, {"code", "200"}}, std::int64_t{3});
    m.family("up", "gauge", "Up.");
    m.sample("up", std::int64_t{1});
    CHECK(m.take() == "# HELP app_requests_total Requests.\n"
                      "# TYPE app_requests_total counter\n"
                      "app_requests_total{route=\"/a\\\"b\\\\c\\nd\",code=\"200\"} 3\n"
                      "# HELP app_up Up.\n"
                      "# TYPE app_up gauge\n"
                      "app_up 1\n");
    CHECK(m.take().empty());
}
