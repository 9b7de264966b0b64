#include "api/format/csv.hpp"

#include <boost/json/serialize.hpp>

#include "common/http/response.hpp"
#include "common/json/text.hpp"

namespace streamscope::api {

std::string csv_cell(std::string_view text) {
    std::string cell;
    if (!text.empty() && (text.front() == '=' || text.front() == '+' || text.front() == '-' ||
                          text.front() == '@' || text.front() == '\t' || text.front() == '\r')) {
        cell += '\''; // shown as text, never evaluated
    }
    cell += text;
    if (cell.find_first_of(",\"\r\n") == std::string::npos) {
        return cell;
    }
    std::string quoted = "\"";
    for (char c : cell) {
        if (c == '"') {
            quoted += '"';
        }
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

std::string csv_from_items(const boost::json::array& items) {
    std::string out;
    if (items.empty()) {
        return out;
    }
    const auto& first = items.front().as_object();
    bool separate = false;
    for (const auto& field : first) {
        out += separate ? "," : "";
        out += csv_cell(field.key());
        separate = true;
    }
    out += "\r\n";
    for (const auto& item : items) {
        const auto& o = item.as_object();
        separate = false;
        for (const auto& field : first) {
            out += separate ? "," : "";
            separate = true;
            const boost::json::value* v = o.if_contains(field.key());
            if (v == nullptr || v->is_null()) {
                continue;
            }
            // Only text is neutralised: a negative number stays a number to a spreadsheet.
            if (v->is_string()) {
                out += csv_cell(v->get_string());
            } else if (v->is_double()) {
                out += json::plain_number(v->get_double());
            } else if (v->is_number() || v->is_bool()) {
                out += boost::json::serialize(*v);
            } else {
                out += csv_cell(boost::json::serialize(*v));
            }
        }
        out += "\r\n";
    }
    return out;
}

http::response csv_response(const http::request& req, std::string body, std::string_view filename) {
    // The name may come from the path (a login): only safe characters reach the header.
    std::string safe;
    for (char c : filename) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
        safe += plain ? c : '_';
    }
    http::response res = http::json_response(req, std::move(body));
    res.set(boost::beast::http::field::content_type, "text/csv; charset=utf-8");
    res.set(boost::beast::http::field::content_disposition,
            "attachment; filename=\"" + safe + "\"");
    return res;
}

http::response list_response(const http::request& req, const std::string& format,
                             boost::json::object page, std::string_view filename) {
    if (format == "csv") {
        return csv_response(req, csv_from_items(page["data"].as_array()), filename);
    }
    return http::json_response(req, page);
}

} // namespace streamscope::api
