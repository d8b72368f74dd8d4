// The one error type that reaches the wire: an AWS error code, its message and HTTP status.
// Handlers throw it; app::handle is the single place that turns it into a response.
#pragma once

#include <array>
#include <stdexcept>
#include <string>
#include <string_view>

namespace cognitod
{

class aws_error : public std::runtime_error
{
    std::string code_;
    // The whole message: what() stops at the first NUL, and a message that echoes a value may
    // hold one.
    std::string message_;
    unsigned status_;

public:
    // status is 400 for every client error on the real wire (TooManyRequests included) and 500
    // for faults (InternalErrorException).
    aws_error(std::string code, std::string const& message, unsigned status = 400)
        : std::runtime_error(message), code_(std::move(code)), message_(message), status_(status)
    {
    }

    std::string const& code() const noexcept { return code_; }
    std::string const& message() const noexcept { return message_; }
    unsigned status() const noexcept { return status_; }
};

// Every code cognitod answers through aws_error, with its HTTP status: each is a factory, called
// with the message, and listed once in errors::catalog, which a test holds against the error lists
// of the model's implemented operations. Kinds whose message AWS always words the same carry that
// text and may also be called bare: throw errors::user_not_found();
namespace errors
{

struct error_kind
{
    std::string_view code;
    unsigned status = 400;

    aws_error operator()(std::string const& message) const
    {
        return {std::string{code}, message, status};
    }
};

struct worded_error_kind : error_kind
{
    std::string_view text;

    using error_kind::operator();
    aws_error operator()() const { return (*this)(std::string{text}); }
};

// Codes the model lists for the operations cognitod implements; status 500 where the model marks
// the shape a fault, 400 for the rest.
inline constexpr error_kind alias_exists{"AliasExistsException"};
inline constexpr error_kind code_delivery_failure{"CodeDeliveryFailureException"};
inline constexpr error_kind code_mismatch{"CodeMismatchException"};
inline constexpr error_kind concurrent_modification{"ConcurrentModificationException"};
inline constexpr error_kind device_key_exists{"DeviceKeyExistsException"};
inline constexpr error_kind duplicate_provider{"DuplicateProviderException"};
inline constexpr worded_error_kind enable_software_token_mfa{
    {"EnableSoftwareTokenMFAException"}, "Code mismatch and fail enable Software Token MFA"};
inline constexpr error_kind expired_code{"ExpiredCodeException"};
inline constexpr error_kind feature_unavailable_in_tier{"FeatureUnavailableInTierException"};
inline constexpr error_kind forbidden{"ForbiddenException"};
inline constexpr worded_error_kind group_exists{
    {"GroupExistsException"}, "A group with the name already exists."};
inline constexpr worded_error_kind internal_error{
    {"InternalErrorException", 500}, "Internal server error."};
inline constexpr error_kind invalid_email_role_access_policy{
    "InvalidEmailRoleAccessPolicyException"};
inline constexpr error_kind invalid_lambda_response{"InvalidLambdaResponseException"};
inline constexpr error_kind invalid_oauth_flow{"InvalidOAuthFlowException"};
inline constexpr error_kind invalid_parameter{"InvalidParameterException"};
inline constexpr error_kind invalid_password{"InvalidPasswordException"};
inline constexpr error_kind invalid_sms_role_access_policy{"InvalidSmsRoleAccessPolicyException"};
inline constexpr error_kind invalid_sms_role_trust_relationship{
    "InvalidSmsRoleTrustRelationshipException"};
inline constexpr error_kind invalid_user_pool_configuration{
    "InvalidUserPoolConfigurationException"};
inline constexpr error_kind limit_exceeded{"LimitExceededException"};
inline constexpr error_kind mfa_method_not_found{"MFAMethodNotFoundException"};
inline constexpr error_kind not_authorized{"NotAuthorizedException"};
inline constexpr error_kind password_history_policy_violation{
    "PasswordHistoryPolicyViolationException"};
inline constexpr worded_error_kind password_reset_required{
    {"PasswordResetRequiredException"}, "Password reset required for the user"};
inline constexpr error_kind precondition_not_met{"PreconditionNotMetException"};
inline constexpr error_kind refresh_token_reuse{"RefreshTokenReuseException"};
inline constexpr error_kind resource_not_found{"ResourceNotFoundException"};
inline constexpr error_kind scope_does_not_exist{"ScopeDoesNotExistException"};
inline constexpr error_kind software_token_mfa_not_found{"SoftwareTokenMFANotFoundException"};
inline constexpr error_kind tier_change_not_allowed{"TierChangeNotAllowedException"};
inline constexpr error_kind too_many_failed_attempts{"TooManyFailedAttemptsException"};
inline constexpr worded_error_kind too_many_requests{{"TooManyRequestsException"}, "Rate exceeded"};
inline constexpr error_kind unauthorized{"UnauthorizedException"};
inline constexpr error_kind unexpected_lambda{"UnexpectedLambdaException"};
inline constexpr error_kind unsupported_identity_provider{"UnsupportedIdentityProviderException"};
inline constexpr error_kind unsupported_operation{"UnsupportedOperationException"};
inline constexpr worded_error_kind unsupported_token_type{
    {"UnsupportedTokenTypeException"}, "Unsupported token type."};
inline constexpr error_kind unsupported_user_state{"UnsupportedUserStateException"};
inline constexpr error_kind user_import_in_progress{"UserImportInProgressException"};
inline constexpr error_kind user_lambda_validation{"UserLambdaValidationException"};
inline constexpr worded_error_kind user_not_confirmed{
    {"UserNotConfirmedException"}, "User is not confirmed."};
inline constexpr worded_error_kind user_not_found{
    {"UserNotFoundException"}, "User does not exist."};
inline constexpr error_kind user_pool_tagging{"UserPoolTaggingException"};
inline constexpr worded_error_kind username_exists{
    {"UsernameExistsException"}, "User account already exists"};

// Codes answered before or around an operation: the body, the target, the signature, --auth off.
// AWS answers the signature's codes, all 400, before a request reaches the service.
inline constexpr error_kind serialization{"SerializationException"};
inline constexpr error_kind unknown_operation{"UnknownOperationException"};
inline constexpr error_kind not_implemented{"NotImplementedException", 501};
inline constexpr error_kind access_denied{"AccessDeniedException"};
inline constexpr worded_error_kind missing_authentication_token{
    {"MissingAuthenticationTokenException"}, "Missing Authentication Token"};
inline constexpr error_kind incomplete_signature{"IncompleteSignatureException"};
inline constexpr error_kind invalid_signature{"InvalidSignatureException"};
inline constexpr worded_error_kind unrecognized_client{
    {"UnrecognizedClientException"}, "The security token included in the request is invalid."};

// Every kind above, once.
inline constexpr auto catalog = std::to_array<error_kind const*>({
    &alias_exists,
    &code_delivery_failure,
    &code_mismatch,
    &concurrent_modification,
    &device_key_exists,
    &duplicate_provider,
    &enable_software_token_mfa,
    &expired_code,
    &feature_unavailable_in_tier,
    &forbidden,
    &group_exists,
    &internal_error,
    &invalid_email_role_access_policy,
    &invalid_lambda_response,
    &invalid_oauth_flow,
    &invalid_parameter,
    &invalid_password,
    &invalid_sms_role_access_policy,
    &invalid_sms_role_trust_relationship,
    &invalid_user_pool_configuration,
    &limit_exceeded,
    &mfa_method_not_found,
    &not_authorized,
    &password_history_policy_violation,
    &password_reset_required,
    &precondition_not_met,
    &refresh_token_reuse,
    &resource_not_found,
    &scope_does_not_exist,
    &software_token_mfa_not_found,
    &tier_change_not_allowed,
    &too_many_failed_attempts,
    &too_many_requests,
    &unauthorized,
    &unexpected_lambda,
    &unsupported_identity_provider,
    &unsupported_operation,
    &unsupported_token_type,
    &unsupported_user_state,
    &user_import_in_progress,
    &user_lambda_validation,
    &user_not_confirmed,
    &user_not_found,
    &user_pool_tagging,
    &username_exists,
    &serialization,
    &unknown_operation,
    &not_implemented,
    &access_denied,
    &missing_authentication_token,
    &incomplete_signature,
    &invalid_signature,
    &unrecognized_client,
});

// Messages cognitod words the same wherever it answers them.
inline aws_error device_not_found()
{
    return resource_not_found("Device does not exist.");
}

inline aws_error group_not_found()
{
    return resource_not_found("Group not found.");
}

// The discovery documents are plain GETs, where a missing pool is 404 rather than the API's 400.
inline aws_error pool_document_not_found(std::string const& pool_id)
{
    auto const e = resource_not_found("User pool " + pool_id + " does not exist.");
    return {e.code(), e.message(), 404};
}

} // namespace errors

} // namespace cognitod
