#include <algorithm>
#include <cctype>
#include <set>

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "api/handlers/handlers.hpp"
#include "api/routes.hpp"

using namespace streamscope::api;
namespace db = streamscope::db;
namespace http = streamscope::http;

TEST_CASE("the OpenAPI document lists exactly the routes the router serves", "[unit][api]") {
    // The routes capture `shared` but do not touch it while being registered; the pool is
    // never connected (it connects on first use).
    db::pool pool{
        streamscope::config::database_url::parse("postgresql://nobody@127.0.0.1:1/none").value(),
        {}};
    request_metrics metrics;
    answer_cache cache{pool, 1 << 20};
    key_store keys{pool};
    rate_limiter limits{10};
    const guard auth{auth_mode::keys, keys, limits, {}}; // every route, /admin/keys included
    event_hub events{pool, {}};
    app shared{pool, metrics, cache, keys, auth, events};
    http::router routes;
    add_routes(routes, shared);

    std::set<std::string> served;
    for (auto [method, pattern] : routes.routes()) {
        std::transform(method.begin(), method.end(), method.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        served.insert(method + " " + pattern);
    }
    const auto doc = boost::json::parse(openapi_document()).as_object();
    CHECK(doc.at("openapi").as_string() == "3.1.0");
    std::set<std::string> documented;
    for (const auto& [path, operations] : doc.at("paths").as_object()) {
        for (const auto& [method, operation] : operations.as_object()) {
            documented.insert(std::string(method) + " " + std::string(path));
            CHECK(operation.as_object().contains("responses"));
        }
    }
    CHECK(served == documented);
    CHECK(served.size() >= 8);
}

TEST_CASE("the OpenAPI document names every platform and what its figures cover", "[unit][api]") {
    const auto doc = boost::json::parse(openapi_document()).as_object();
    const auto& components = doc.at("components").as_object();
    const auto names = [](const boost::json::value& list) {
        std::set<std::string> out;
        for (const auto& v : list.as_array()) {
            out.insert(std::string(v.as_string()));
        }
        return out;
    };
    const std::set<std::string> platforms{"twitch", "kick", "youtube"};
    for (const char* parameter : {"platform", "pathPlatform"}) {
        CHECK(names(components.at("parameters").at(parameter).at("schema").at("enum")) ==
              platforms);
    }
    const auto& item = components.at("schemas").at("PlatformStats").at("properties");
    CHECK(names(item.at("coverage").at("enum")) ==
          std::set<std::string>{"all_live_streams", "watchlist"});
    CHECK(item.as_object().contains("watched_channels"));
    const auto& stream = components.at("schemas").at("LiveStream").at("properties");
    CHECK(names(stream.at("viewer_count").at("type")) == std::set<std::string>{"integer", "null"});
}
