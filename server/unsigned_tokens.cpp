#include "server/unsigned_tokens.hpp"

namespace cognitod
{

std::string unsigned_tokens::add(auth::rsa_key const& key, nlohmann::ordered_json const& payload)
{
    auto stand_in = auth::jwt_signing_input(key, payload);
    stand_in += '.';
    entries_.push_back({key, stand_in});
    return stand_in;
}

std::size_t unsigned_tokens::sign_into(nlohmann::json& output) const
{
    if (entries_.empty())
    {
        return 0;
    }
    std::size_t replaced = 0;
    auto visit = [&](auto& self, nlohmann::json& value) -> void
    {
        if (value.is_structured())
        {
            for (auto& member : value)
            {
                self(self, member);
            }
            return;
        }
        if (!value.is_string())
        {
            return;
        }
        auto const& text = value.get_ref<std::string const&>();
        for (auto const& e : entries_)
        {
            if (text == e.stand_in)
            {
                // The stand-in ends in the '.' before the signature; sign what comes before it.
                value = auth::sign_jwt(e.key, e.stand_in.substr(0, e.stand_in.size() - 1));
                ++replaced;
                return;
            }
        }
    };
    visit(visit, output);
    return replaced;
}

} // namespace cognitod
