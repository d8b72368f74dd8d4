// Private to schema/: whether a JSON value can be read as a shape's type, with the
// SerializationException texts AWS JSON services answer with when it cannot.
// Pure; safe to call from any thread.
#pragma once

#include "schema/service_model.hpp"

#include <nlohmann/json.hpp>

namespace cognitod::schema::detail
{

// Throws schema::type_mismatch unless value (not null) can be read as expected's type.
void require_type(shape const& expected, nlohmann::json const& value);

} // namespace cognitod::schema::detail
