#pragma once
// How the stats routes hold their SQL, and the clauses several of their statements share.
//
// Each statement is written whole, in SQL layout, as a named constant beside its handler, with
// a comment naming the rollup table and index it reads. Where its real variants differ (hours
// or days, a ranking key, a narrowing to a game or language), the statement has a named hole,
// `{covered}`, and each variant is composed once, when the program starts, from the statement
// and the named clauses that fill its holes: a fixed set of texts, each with a name. Only
// constant text fills a hole; everything a request brings is a bound parameter.
//
// To read or EXPLAIN a variant as PostgreSQL receives it, fill its holes by hand, or log what
// the API sends (auto_explain, or log_statement = 'all', on the database).

#include <initializer_list>
#include <string>
#include <string_view>

namespace streamscope::api::stats {

// A hole's name (without the braces) and the text that fills it.
struct clause {
    std::string_view hole;
    std::string_view text;
};

// `statement` with every {hole} replaced by its clause's text (which is not searched for holes
// again). Throws std::logic_error when a hole has no clause or a clause no hole: a mistake in
// the program, which fails it at start-up, as the composed statements are namespace-scope
// constants.
std::string compose(std::string_view statement, std::initializer_list<clause> clauses);

// The time the collector covered per platform in ms, as the CTE {name}, from {from} to {to}
// (parameters: times over hours, days over days).
constexpr std::string_view covered_by_hours = R"({name} AS (
    SELECT h.platform_id, sum(h.covered_ms)::float8 AS ms
      FROM rollup_platform_hours h
     WHERE h.hour >= {from}::timestamptz AND h.hour < {to}::timestamptz
     GROUP BY h.platform_id))";
// Over days: only the hours already folded into the day rollups (sql/migrations/0007).
constexpr std::string_view covered_by_days = R"({name} AS (
    SELECT h.platform_id, sum(h.covered_ms)::float8 AS ms
      FROM rollup_platform_hours h
     WHERE h.hour >= {from}::date::timestamp AT TIME ZONE 'UTC'
       AND h.hour < {to}::date::timestamp AT TIME ZONE 'UTC' AND h.folded_at IS NOT NULL
     GROUP BY h.platform_id))";

// A scan of a table with a column `day`, one index range scan per day: each day d.i of
// [{from}, {to}) (parameters, as dates) joined to {select} from the day's rows r of {table}
// that meet {where}, as t. The days are integers so that PostgreSQL knows how many there are
// (a series of dates counts as 1,000 rows, whose cost is high enough to compile the query
// with JIT, 5 to 20 ms). OFFSET 0 keeps the scans per day: pulled up into a join, a condition
// that most rows of some day meet (every channel's first day has no previous one; a day of
// 100,000 new channels) was planned as a scan of every day, 5 to 15x slower.
constexpr std::string_view each_day = R"(generate_series(0, {to}::date - {from}::date - 1) d(i)
     CROSS JOIN LATERAL (
           SELECT {select}
             FROM {table} r
            WHERE r.day = {from}::date + d.i AND {where}
           OFFSET 0) t)";

} // namespace streamscope::api::stats
