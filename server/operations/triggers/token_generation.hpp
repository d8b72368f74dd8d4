// PreTokenGeneration: the claims and scopes the pool's function adds to, changes in and removes
// from a sign-in's tokens before they are signed.
#pragma once

#include "server/operations/groups/groups.hpp"
#include "server/operations/operations.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cognitod
{

using claim_list = std::vector<std::pair<std::string, json>>;

// What the tokens are minted for.
struct token_request
{
    std::string_view source;              // "Authentication": TokenGeneration_Authentication
    storage::user const* user = nullptr;  // null for the client_credentials grant
    std::string client_id;                // callerContext.clientId
    group_claims const* groups = nullptr; // the user's groups, roles and preferred role
};

// Calls the pool's PreTokenGeneration function, when it has one for these tokens, and applies its
// answer: V1_0 (claimsOverrideDetails) to the ID token and the groups; V2_0 and V3_0
// (claimsAndScopeOverrideDetails) to both tokens and the access token's scope. V3_0 alone is
// called for the client_credentials grant. Reserved claims (the token's identity, times and
// issuer, and what Cognito itself vouches for) keep their values. id is null when there is no ID
// token. InvalidLambdaResponseException for an answer of the wrong shape.
void customize_tokens(
    request_context& ctx,
    storage::user_pool const& pool,
    token_request const& request,
    claim_list& access,
    claim_list* id
);

} // namespace cognitod
