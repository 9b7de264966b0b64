#pragma once
// How many long answers may run at once: on this server (an export reads a lot, a live feed
// holds a connection for hours; more at once would crowd out the API's other answers) and by
// one client (an API key, or an address without one), so that one client cannot take every
// slot. Counted per server, not across replicas. Exports have one set of slots, live feeds
// another.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace streamscope::api {

struct export_settings {
    unsigned max_running = 4;
    unsigned per_key = 2;
    // Rows a key may export each day (UTC) unless it has its own quota; 0: no quota.
    std::int64_t rows_per_day = 20'000'000;
};

class running_slots {
public:
    explicit running_slots(unsigned max_running) : max_running_(max_running) {}

    // Held while the answer runs; the slot is given back when the last copy goes, however the
    // answer ends (finished, the client gone, the database failing). The running_slots must
    // outlive it.
    using slot = std::shared_ptr<const void>;

    enum class refusal { none, server_busy, client_busy };
    struct outcome {
        slot held; // null when refused
        refusal why = refusal::none;
    };

    // A slot for client `who` ("key 12", "address 192.0.2.1"), which may hold `per_client`;
    // "": counted against the server's limit alone.
    outcome take(const std::string& who, unsigned per_client);

    unsigned running() const;

private:
    class release;
    void give_back(const std::string& who);

    const unsigned max_running_;
    mutable std::mutex mutex_;
    unsigned running_ = 0;                                   // guarded by mutex_
    std::map<std::string, unsigned, std::less<>> by_client_; // guarded by mutex_
};

// The `who` of an API key (0: none, "").
std::string key_slot_owner(std::int64_t key_id);

} // namespace streamscope::api
