// JSON text of a value, byte for byte what nlohmann's dump(-1, ' ', false, replace) writes, for
// the bodies of every answer. nlohmann's serializer decodes each string's UTF-8 a byte at a time;
// the strings of an answer are nearly all plain ASCII, which this copies whole.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace cognitod
{

// Compact (no spaces), keys in the value's order, UTF-8 kept as it is and invalid UTF-8 replaced
// with U+FFFD, as dump() with error_handler_t::replace does.
std::string json_text(nlohmann::json const& value);

} // namespace cognitod
