#pragma once
// The thumbnails of a Data API snippet (videos and channels alike):
//   "thumbnails": {"default": {"url": "..", "width": 120, "height": 90}, "medium": {..},
//                  "high": {..}, "standard": {..}, "maxres": {..}}
// Which sizes exist varies (maxres and standard only for some videos; channels lack sizes at
// times), so the largest one present is picked.

#include <string>

#include <boost/json/object.hpp>

namespace streamscope::youtube {

// The url of the largest thumbnail in `snippet.thumbnails`: by width × height, or, where the
// sizes are missing, by the size the key stands for (default 120×90, medium 320×180, high
// 480×360, standard 640×480, maxres 1280×720). "" when there is none. Entries that are not
// objects with a non-empty string url are passed over: thumbnails are decoration, never a
// reason to lose a record. Never throws (but std::bad_alloc).
std::string largest_thumbnail_url(const boost::json::object& snippet);

} // namespace streamscope::youtube
