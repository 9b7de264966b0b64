// Webhook fan-out and dispatch against PostgreSQL: which events become whose deliveries, the
// cursor, the order of dispatch per subscription, and what an attempt's outcome records.

#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "collector/webhooks/delivery_store.hpp"
#include "collector/webhooks/fan_out.hpp"
#include "tests/support/scratch_database.hpp"

using namespace streamscope;
using namespace streamscope::webhooks;

namespace {

std::int64_t make_hook_key(pqxx::connection& c) {
    pqxx::work tx{c};
    const auto id = tx.exec1("INSERT INTO api_keys (prefix, key_hash, name, scope) VALUES "
                             "('ssk_test', sha256('k'), 'hooks', 'webhooks') RETURNING id")[0]
                        .as<std::int64_t>();
    tx.commit();
    return id;
}

std::int64_t subscribe(pqxx::connection& c, std::int64_t key, const std::string& format,
                       const std::string& types_json, const std::string& filters_json) {
    pqxx::work tx{c};
    const auto id =
        tx.exec_params1("INSERT INTO webhooks (key_id, url, format, event_types, filters, secret, "
                        "after_event_id) VALUES ($1, 'https://example.com/hook', $2, "
                        "ARRAY(SELECT jsonb_array_elements_text($3::jsonb)), $4::jsonb, "
                        "'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', "
                        "(SELECT coalesce(max(id), 0) FROM events)) RETURNING id",
                        key, format, types_json, filters_json)[0]
            .as<std::int64_t>();
    tx.commit();
    return id;
}

std::int64_t emit(pqxx::connection& c, const std::string& type, int platform,
                  const std::string& channel, const std::string& game, int viewers) {
    pqxx::work tx{c};
    const auto id =
        tx.exec_params1("INSERT INTO events (platform_id, sweep_id, at, type, channel, game_id, "
                        "game_name, viewers, data) VALUES ($1, 7, '2026-12-07T23:00:00Z', $2, $3, "
                        "'', $4, $5, '{\"stream\":{}}') RETURNING id",
                        platform, type, channel, game, viewers)[0]
            .as<std::int64_t>();
    tx.commit();
    return id;
}

std::vector<std::string> deliveries_of(pqxx::connection& c, std::int64_t hook) {
    std::vector<std::string> out;
    for (const auto& row : pqxx::nontransaction(c).exec_params(
             "SELECT event_id || ' ' || state FROM webhook_deliveries WHERE webhook_id = $1 "
             "ORDER BY event_id",
             hook)) {
        out.push_back(row[0].as<std::string>());
    }
    return out;
}

} // namespace

TEST_CASE("fan-out makes a delivery for each matching subscription, once", "[db][webhooks]") {
    testing::scratch_database scratch;
    auto c = scratch.connect();
    const auto before = emit(*c, "stream.live", 1, "early", "", 10);
    const auto key = make_hook_key(*c);
    const auto all = subscribe(*c, key, "json", "[]", "{}");
    const auto kick_live =
        subscribe(*c, key, "slack", "[\"stream.live\"]", R"({"platform": ["kick"]})");
    const auto big_chess =
        subscribe(*c, key, "json", "[]", R"({"game": ["CHESS"], "min_viewers": 1000})");
    const auto off = subscribe(*c, key, "json", "[]", "{}");
    {
        pqxx::work tx{*c};
        tx.exec("UPDATE webhooks SET disabled_at = now() WHERE id = " + std::to_string(off));
        tx.commit();
    }
    const auto e1 = emit(*c, "stream.live", 2, "a", "Chess", 5000);
    const auto e2 = emit(*c, "stream.ended", 2, "b", "Chess", 50);
    const auto e3 = emit(*c, "stream.live", 1, "c", "Music", 5000);

    const fan_out_result first = fan_out(*c, 1000);
    CHECK(first.events == 4); // the one before the subscriptions too, for none of them
    CHECK(first.deliveries == 5);
    const auto s = [](std::int64_t id) { return std::to_string(id) + " pending"; };
    CHECK(deliveries_of(*c, all) == std::vector<std::string>{s(e1), s(e2), s(e3)});
    CHECK(deliveries_of(*c, kick_live) == std::vector<std::string>{s(e1)});
    CHECK(deliveries_of(*c, big_chess) == std::vector<std::string>{s(e1)});
    CHECK(deliveries_of(*c, off).empty());
    CHECK(
        pqxx::nontransaction(*c)
            .exec_params1("SELECT count(*) FROM webhook_deliveries WHERE event_id = $1", before)[0]
            .as<int>() == 0);
    // The cursor moved past them: nothing is fanned out twice.
    CHECK(fan_out(*c, 1000).events == 0);
    CHECK(pqxx::nontransaction(*c)
              .exec1("SELECT last_event_id FROM webhook_cursor")[0]
              .as<std::int64_t>() == e3);

    // Each format's payload: the event itself for json, Slack's message for slack.
    const auto payload = [&](std::int64_t hook) {
        return pqxx::nontransaction(*c)
            .exec_params1("SELECT payload FROM webhook_deliveries WHERE webhook_id = $1 "
                          "ORDER BY id LIMIT 1",
                          hook)[0]
            .as<std::string>();
    };
    CHECK(payload(all) == "{\"id\":" + std::to_string(e1) +
                              ",\"type\":\"stream.live\",\"timestamp\":\"2026-12-07T23:00:00Z\","
                              "\"sweep_id\":7,\"platform\":\"kick\",\"data\":{\"stream\":{}}}");
    CHECK(payload(kick_live).find("\"blocks\"") != std::string::npos);
}

TEST_CASE("a revoked or expired key's subscriptions get nothing more", "[db][webhooks]") {
    testing::scratch_database scratch;
    auto c = scratch.connect();
    const auto key = make_hook_key(*c);
    const auto hook = subscribe(*c, key, "json", "[]", "{}");
    const auto e1 = emit(*c, "stream.live", 1, "a", "", 10);
    CHECK(fan_out(*c, 1000).deliveries == 1);
    {
        pqxx::work tx{*c};
        tx.exec_params("UPDATE api_keys SET revoked_at = now() WHERE id = $1", key);
        tx.commit();
    }
    emit(*c, "stream.live", 1, "b", "", 10);
    CHECK(fan_out(*c, 1000).deliveries == 0);
    CHECK(deliveries_of(*c, hook) == std::vector<std::string>{std::to_string(e1) + " pending"});
    // The delivery made before the revocation is not sent either.
    CHECK(claim_due(*c, 10, {}).empty());
}

TEST_CASE("fan-out reads in batches, in id order", "[db][webhooks]") {
    testing::scratch_database scratch;
    auto c = scratch.connect();
    const auto hook = subscribe(*c, make_hook_key(*c), "json", "[]", "{}");
    std::vector<std::string> want;
    for (int i = 0; i < 25; ++i) {
        want.push_back(std::to_string(emit(*c, "stream.live", 1, "x", "", i)) + " pending");
    }
    std::size_t rounds = 0;
    while (fan_out(*c, 10).events > 0) {
        ++rounds;
    }
    CHECK(rounds == 3);
    CHECK(deliveries_of(*c, hook) == want);
}

TEST_CASE("dispatch takes each subscription's oldest due delivery, and records outcomes",
          "[db][webhooks]") {
    testing::scratch_database scratch;
    auto c = scratch.connect();
    const auto key = make_hook_key(*c);
    const auto one = subscribe(*c, key, "json", "[]", "{}");
    const auto two = subscribe(*c, key, "json", "[]", "{}");
    const auto e1 = emit(*c, "stream.live", 1, "a", "", 1);
    const auto e2 = emit(*c, "stream.live", 1, "b", "", 1);
    fan_out(*c, 100);

    auto due = claim_due(*c, 10, {});
    REQUIRE(due.size() == 2); // one per subscription: the oldest
    CHECK(due[0].event_id == e1);
    CHECK(due[1].event_id == e1);
    CHECK(claim_due(*c, 10, {one}).size() == 1); // a busy subscription waits
    CHECK(claim_due(*c, 1, {}).size() == 1);

    const due_delivery first = due[0].webhook_id == one ? due[0] : due[1];
    attempt_result failed;
    failed.status = 500;
    failed.error = "the target answered 500";
    record_attempt(*c, first, failed,
                   {next_step::kind::retry, std::chrono::milliseconds(60'000), ""});
    // Retried later: until then the subscription's next delivery waits behind it, in order.
    due = claim_due(*c, 10, {});
    REQUIRE(due.size() == 1);
    CHECK(due[0].webhook_id == two);

    attempt_result ok;
    ok.status = 204;
    record_attempt(*c, due[0], ok, {next_step::kind::delivered, {}, ""});
    due = claim_due(*c, 10, {});
    REQUIRE(due.size() == 1);
    CHECK(due[0].webhook_id == two);
    CHECK(due[0].event_id == e2);

    record_attempt(*c, due[0], failed, {next_step::kind::failed, {}, "persistent failure"});
    CHECK(deliveries_of(*c, two) == std::vector<std::string>{std::to_string(e1) + " delivered",
                                                             std::to_string(e2) + " failed"});
    CHECK(pqxx::nontransaction(*c)
              .exec_params1("SELECT disabled_reason FROM webhooks WHERE id = $1", two)[0]
              .as<std::string>() == "persistent failure");
    CHECK(pqxx::nontransaction(*c).exec1("SELECT count(*) FROM webhook_attempts")[0].as<int>() ==
          3);
    const delivery_counts n = count_deliveries(*c);
    CHECK(n.pending == 2);
    CHECK(n.delivered == 1);
    CHECK(n.failed == 1);
}
