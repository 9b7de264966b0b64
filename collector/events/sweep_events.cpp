#include "collector/events/sweep_events.hpp"

#include <pqxx/except>
#include <spdlog/spdlog.h>

#include "collector/events/storage.hpp"

namespace streamscope::collector::events {

derivation sweep_events::prepare(pqxx::connection& conn, const model::sweep& sweep) {
    try {
        const auto newest = newest_sweep(conn, sweep.source);
        if (newest && sweep.started_at <= *newest) {
            return {};
        }
        if (!view_ || view_->sweep_at != newest) {
            const auto started = std::chrono::steady_clock::now();
            view_ = load_view(conn, sweep.source, rules_);
            const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
            spdlog::info("events: {} open {} broadcasts loaded in {:.2f} s to compare sweeps with",
                         view_->open.size(), model::to_string(sweep.source), took.count());
        }
        return derive(*view_, sweep, rules_);
    } catch (const pqxx::broken_connection&) {
        throw;
    } catch (const std::exception& e) {
        view_.reset(); // loaded anew next time
        spdlog::error("events: the {} sweep's events could not be derived ({}); the sweep is "
                      "stored without them, and the next one is compared with it",
                      model::to_string(sweep.source), e.what());
        return {};
    }
}

void sweep_events::stored(const model::sweep& sweep, derivation&& derived) {
    if (view_ && (!view_->sweep_at || sweep.started_at > *view_->sweep_at)) {
        advance(*view_, sweep, std::move(derived.ranked));
    }
}

} // namespace streamscope::collector::events
