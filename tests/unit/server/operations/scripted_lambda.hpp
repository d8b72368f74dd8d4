// A Lambda function the test scripts: it records every call and answers as the test says (by
// default, the event unchanged, as a function that does nothing returns it).
#pragma once

#include "server/lambda.hpp"
#include "unit/server/fixture.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace cognitod::testing
{

// Records every call and answers as the test says.
class scripted_lambda final : public lambda_invoker
{
    mutable std::mutex mutex_;
    mutable std::vector<std::pair<std::string, json>> calls_;

public:
    std::function<lambda_result(json const& event)> answer = [](json const& event) {
        return lambda_result{lambda_result::kind::answered, event.dump(), {}};
    };

    lambda_result invoke(std::string const& function, std::string const& payload) const override
    {
        auto const event = json::parse(payload);
        {
            std::lock_guard lock{mutex_};
            calls_.emplace_back(function, event);
        }
        return answer(event);
    }

    std::vector<std::pair<std::string, json>> calls() const
    {
        std::lock_guard lock{mutex_};
        return calls_;
    }
};

// The event with these members of its response set, as a function answers.
inline lambda_result answering(json event, json const& response)
{
    for (auto const& [name, value] : response.items())
    {
        event["response"][name] = value;
    }
    return {lambda_result::kind::answered, event.dump(), {}};
}

// Calls through a dispatcher whose triggers go to the scripted function.
class with_lambda : public ::testing::Test
{
protected:
    fixture f_;
    scripted_lambda lambda_;
    dispatcher calls_{
        cognito_model(),
        f_.store,
        f_.time,
        f_.ids,
        f_.keys,
        "us-east-1",
        account_id,
        nullptr,
        &lambda_};

    json call(std::string_view operation, json const& input) const
    {
        return calls_.invoke(operation, input, f_.info);
    }

    aws_error error_of(std::string_view operation, json const& input) const
    {
        try
        {
            ADD_FAILURE() << operation << " succeeded: " << call(operation, input).dump();
        }
        catch (aws_error const& e)
        {
            return e;
        }
        return {"(none)", ""};
    }
};

} // namespace cognitod::testing
