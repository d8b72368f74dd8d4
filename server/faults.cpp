#include "server/faults.hpp"

#include <algorithm>

namespace cognitod
{

namespace
{

using nlohmann::json;

constexpr std::string_view internal_error = "InternalErrorException";
// Long enough for any client timeout test; short enough that a typo cannot wedge a connection.
constexpr std::int64_t max_delay_ms = 60'000;

// The message AWS sends where one is well known; otherwise a plain one naming the rule.
std::string default_message(std::string_view error, std::string const& id)
{
    if (error == "TooManyRequestsException")
    {
        return "Rate exceeded";
    }
    if (error == internal_error)
    {
        return "Internal server error.";
    }
    return "Injected by cognitod fault rule " + id + ".";
}

std::string string_member(json const& body, char const* name)
{
    auto const found = body.find(name);
    if (found == body.end() || found->is_null())
    {
        return {};
    }
    if (!found->is_string())
    {
        throw invalid_fault_rule(std::string{name} + " must be a string.");
    }
    return found->get<std::string>();
}

} // namespace

fault_rules::fault_rules(schema::service_model const& model, std::uint64_t seed)
    : model_(model), random_(seed)
{
}

bool fault_rules::lists_error(std::string_view operation, std::string_view error) const
{
    if (error == internal_error)
    {
        return true;
    }
    auto const* op = model_.find_operation(operation);
    return op != nullptr &&
           std::find(op->errors.begin(), op->errors.end(), error) != op->errors.end();
}

json fault_rules::describe(rule const& r)
{
    json out{
        {"Id", r.id},
        {"Operation", r.operation},
        {"Probability", r.probability},
        {"DelayMs", r.delay_ms},
        {"Hits", r.hits},
    };
    if (!r.error.empty())
    {
        out["Error"] = r.error;
        out["Message"] = r.message;
    }
    out["Remaining"] = r.remaining ? json(*r.remaining) : json(nullptr);
    json match = json::object();
    if (!r.user_pool_id.empty())
    {
        match["UserPoolId"] = r.user_pool_id;
    }
    if (!r.username.empty())
    {
        match["Username"] = r.username;
    }
    if (!match.empty())
    {
        out["Match"] = match;
    }
    return out;
}

json fault_rules::add(json const& body)
{
    if (!body.is_object())
    {
        throw invalid_fault_rule("A fault rule is a JSON object.");
    }
    for (auto const& [key, value] : body.items())
    {
        static_cast<void>(value);
        if (key != "Operation" && key != "Error" && key != "Message" && key != "Count" &&
            key != "Probability" && key != "DelayMs" && key != "Match")
        {
            throw invalid_fault_rule(
                "Unknown member " + key +
                "; a rule has Operation, Error, Message, Count, Probability, DelayMs and Match."
            );
        }
    }
    rule r;
    r.operation = string_member(body, "Operation");
    if (r.operation.empty())
    {
        throw invalid_fault_rule("Operation is required: an operation name or \"*\".");
    }
    if (r.operation != "*" && model_.find_operation(r.operation) == nullptr)
    {
        throw invalid_fault_rule("Operation " + r.operation + " is not a cognito-idp operation.");
    }
    r.error = string_member(body, "Error");
    if (!r.error.empty())
    {
        bool listed = false;
        if (r.operation == "*")
        {
            auto const ops = model_.operations();
            listed = std::any_of(
                ops.begin(),
                ops.end(),
                [&](schema::operation_model const& op) { return lists_error(op.name, r.error); }
            );
        }
        else
        {
            listed = lists_error(r.operation, r.error);
        }
        if (!listed)
        {
            throw invalid_fault_rule(
                "Error " + r.error + " is not an exception the model lists for " + r.operation +
                " (nor InternalErrorException)."
            );
        }
    }
    if (auto const count = body.find("Count"); count != body.end() && !count->is_null())
    {
        if (!count->is_number_integer() || count->get<std::int64_t>() < 1)
        {
            throw invalid_fault_rule("Count must be a whole number of at least 1.");
        }
        r.remaining = count->get<std::int64_t>();
    }
    if (auto const p = body.find("Probability"); p != body.end() && !p->is_null())
    {
        if (!p->is_number() || p->get<double>() < 0 || p->get<double>() > 1)
        {
            throw invalid_fault_rule("Probability must be a number from 0 to 1.");
        }
        r.probability = p->get<double>();
    }
    if (auto const d = body.find("DelayMs"); d != body.end() && !d->is_null())
    {
        if (!d->is_number_integer() || d->get<std::int64_t>() < 0 ||
            d->get<std::int64_t>() > max_delay_ms)
        {
            throw invalid_fault_rule(
                "DelayMs must be a whole number from 0 to " + std::to_string(max_delay_ms) + "."
            );
        }
        r.delay_ms = d->get<std::int64_t>();
    }
    if (r.error.empty() && r.delay_ms == 0)
    {
        throw invalid_fault_rule("A rule needs an Error, a DelayMs, or both.");
    }
    if (auto const m = body.find("Match"); m != body.end() && !m->is_null())
    {
        if (!m->is_object())
        {
            throw invalid_fault_rule("Match is an object with UserPoolId and/or Username.");
        }
        for (auto const& [key, value] : m->items())
        {
            static_cast<void>(value);
            if (key != "UserPoolId" && key != "Username")
            {
                throw invalid_fault_rule("Match takes UserPoolId and Username, not " + key + ".");
            }
        }
        r.user_pool_id = string_member(*m, "UserPoolId");
        r.username = string_member(*m, "Username");
    }

    std::lock_guard lock{mutex_};
    r.id = "fault-" + std::to_string(next_id_++);
    if (!r.error.empty())
    {
        auto const message = string_member(body, "Message");
        r.message = message.empty() ? default_message(r.error, r.id) : message;
    }
    rules_.push_back(r);
    return describe(r);
}

json fault_rules::list() const
{
    std::lock_guard lock{mutex_};
    json out = json::array();
    for (auto const& r : rules_)
    {
        out.push_back(describe(r));
    }
    return out;
}

bool fault_rules::remove(std::string_view id)
{
    std::lock_guard lock{mutex_};
    return std::erase_if(rules_, [&](rule const& r) { return r.id == id; }) > 0;
}

std::size_t fault_rules::clear()
{
    std::lock_guard lock{mutex_};
    auto const removed = rules_.size();
    rules_.clear();
    return removed;
}

std::optional<fault> fault_rules::match(std::string_view operation, nlohmann::json const& input)
{
    std::lock_guard lock{mutex_};
    if (rules_.empty())
    {
        return std::nullopt;
    }
    auto const member_is = [&](char const* name, std::string const& wanted)
    {
        if (wanted.empty())
        {
            return true;
        }
        auto const found = input.find(name);
        return found != input.end() && found->is_string() && found->get<std::string>() == wanted;
    };
    for (auto it = rules_.begin(); it != rules_.end(); ++it)
    {
        auto& r = *it;
        if (r.operation != "*" && r.operation != operation)
        {
            continue;
        }
        if (r.operation == "*" && !r.error.empty() && !lists_error(operation, r.error))
        {
            continue;
        }
        if (!member_is("UserPoolId", r.user_pool_id) || !member_is("Username", r.username))
        {
            continue;
        }
        if (r.probability < 1 &&
            std::uniform_real_distribution<double>{0, 1}(random_) >= r.probability)
        {
            continue;
        }
        fault out;
        out.delay = std::chrono::milliseconds{r.delay_ms};
        if (!r.error.empty())
        {
            out.error = aws_error(r.error, r.message, r.error == internal_error ? 500U : 400U);
        }
        ++r.hits;
        if (r.remaining && --*r.remaining == 0)
        {
            rules_.erase(it);
        }
        return out;
    }
    return std::nullopt;
}

} // namespace cognitod
