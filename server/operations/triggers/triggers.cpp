#include "server/operations/triggers/triggers.hpp"

#include "server/json_read.hpp"
#include "server/operations/common.hpp"
#include "server/operations/sign_in/sign_in.hpp"

namespace cognitod
{

lambda_result const*
trigger_answers::find(std::string const& function, std::string const& event) const
{
    auto const it = answers_.find(std::pair{function, event});
    return it == answers_.end() ? nullptr : &it->second;
}

void trigger_answers::put(
    std::string const& function, std::string const& event, lambda_result answer
)
{
    answers_.insert_or_assign(std::pair{function, event}, std::move(answer));
}

json const& trigger_answers::call() const
{
    static json const none = json::object();
    return call_ == nullptr ? none : *call_;
}

namespace
{

// The function LambdaConfig names for the trigger; PreTokenGenerationConfig's wins over the
// older PreTokenGeneration member, which AWS keeps equal to it.
std::string trigger_function(storage::user_pool const& pool, std::string_view trigger)
{
    auto const config = pool.settings->find("LambdaConfig");
    if (config == pool.settings->end() || !config->is_object())
    {
        return {};
    }
    if (trigger == "PreTokenGeneration")
    {
        if (auto it = config->find("PreTokenGenerationConfig");
            it != config->end() && it->is_object())
        {
            if (auto arn = parameter(*it, "LambdaArn"))
            {
                return *arn;
            }
        }
    }
    return parameter(*config, trigger).value_or("");
}

} // namespace

bool has_trigger(storage::user_pool const& pool, std::string_view trigger)
{
    return !trigger_function(pool, trigger).empty();
}

std::optional<json>
call_trigger(request_context& ctx, storage::user_pool const& pool, trigger_event const& event)
{
    auto const arn = trigger_function(pool, event.trigger);
    if (arn.empty() || ctx.triggers == nullptr)
    {
        return std::nullopt;
    }
    json const payload{
        {"version", event.version},
        {"triggerSource", event.trigger_source},
        {"region", pool_region(pool.id)},
        {"userPoolId", pool.id},
        {"userName", event.username},
        {"callerContext",
         {{"awsSdkVersion", "aws-sdk-unknown-unknown"}, {"clientId", event.client_id}}},
        {"request", event.request},
        {"response", event.response},
    };
    auto const text = payload.dump();
    auto const* answer = ctx.triggers->find(arn, text);
    if (answer == nullptr)
    {
        lambda_needed need;
        need.function = arn;
        need.event = text;
        need.trigger = std::string{event.trigger};
        throw need;
    }
    std::string const name{event.trigger};
    switch (answer->what)
    {
    case lambda_result::kind::function_error:
    {
        auto const error = read_client_json(answer->payload);
        auto const& value = error.value;
        auto const message = error.result == client_json::outcome::read && value.is_object()
                                 ? parameter(value, "errorMessage")
                                 : std::nullopt;
        throw errors::user_lambda_validation(
            name + " failed with error " + message.value_or("unknown error") + "."
        );
    }
    case lambda_result::kind::unreachable:
    case lambda_result::kind::refused:
        throw errors::unexpected_lambda(
            name + " invocation failed due to error " + answer->detail + "."
        );
    case lambda_result::kind::answered:
        break;
    }
    auto const read = read_client_json(answer->payload);
    auto const& answered = read.value;
    if (read.result != client_json::outcome::read || !answered.is_object() ||
        !answered.contains("response") ||
        !(answered.at("response").is_object() || answered.at("response").is_null()))
    {
        throw errors::invalid_lambda_response("Unrecognizable lambda output");
    }
    auto response = answered.at("response");
    return response.is_null() ? json::object() : response;
}

json user_attributes_of(storage::user const& u)
{
    json out = json::object();
    for (auto const& a : u.attributes)
    {
        out[a.name] = a.value;
    }
    return out;
}

json user_attributes_with_status(storage::user const& u)
{
    auto attributes = user_attributes_of(u);
    attributes["cognito:user_status"] = u.status;
    return attributes;
}

json client_metadata_of(json const& input)
{
    auto const it = input.find("ClientMetadata");
    return it != input.end() && it->is_object() ? *it : json::object();
}

json call_client_metadata(request_context const& ctx)
{
    return ctx.triggers == nullptr ? json::object() : client_metadata_of(ctx.triggers->call());
}

json answer_client_metadata(request_context const& ctx)
{
    bool const starts = ctx.triggers != nullptr && ctx.triggers->call().contains("AuthFlow");
    return starts ? json::object() : call_client_metadata(ctx);
}

std::string call_client_id(request_context const& ctx)
{
    auto const id =
        ctx.triggers == nullptr ? std::nullopt : parameter(ctx.triggers->call(), "ClientId");
    return id.value_or(std::string{no_client});
}

trigger_event pre_sign_up_event(
    std::string source, std::string username, std::string client_id, json const& input
)
{
    trigger_event event{"PreSignUp", std::move(source), std::move(username), std::move(client_id)};
    auto const map_of = [&](char const* member) -> json
    {
        auto const list = input.find(member);
        if (list == input.end() || !list->is_array())
        {
            return nullptr;
        }
        json out = json::object();
        for (auto const& a : *list)
        {
            out[a.at("Name").get<std::string>()] = a.value("Value", "");
        }
        return out;
    };
    auto attributes = map_of("UserAttributes");
    event.request = {
        {"userAttributes", attributes.is_null() ? json::object() : std::move(attributes)},
        {"validationData", map_of("ValidationData")},
        {"clientMetadata", client_metadata_of(input)},
    };
    event.response = {
        {"autoConfirmUser", false}, {"autoVerifyEmail", false}, {"autoVerifyPhone", false}};
    return event;
}

void post_confirmation(
    request_context& ctx,
    storage::user_pool const& pool,
    std::int64_t user_id,
    std::string source,
    std::string client_id,
    json const& input
)
{
    auto const u = ctx.store.find_user_by_id(user_id);
    if (!u)
    {
        return;
    }
    trigger_event event{"PostConfirmation", std::move(source), u->username, std::move(client_id)};
    event.request = {
        {"userAttributes", user_attributes_with_status(*u)},
        {"clientMetadata", client_metadata_of(input)},
    };
    try
    {
        call_trigger(ctx, pool, event);
    }
    catch (aws_error const& e)
    {
        throw committed_error{e};
    }
}

} // namespace cognitod
