#include "services/sts/operations.h"

namespace fulcrum::services::sts {
namespace {

std::string AnyResource(const RequestContext& /*context*/, const boost::json::object& /*input*/) {
  return "*";
}

}  // namespace

OperationTable MakeOperationTable(const StsService& service) {
  std::vector<OperationRow> rows;
  rows.push_back(OperationRow{
      .name = "GetCallerIdentity",
      .iam_action = "sts:GetCallerIdentity",
      .skip_authorization = true,
      .resource = AnyResource,
      .handler = [&service](const RequestContext& context,
                            const boost::json::object& /*input*/) -> Result<boost::json::value> {
        auto identity = service.GetCallerIdentity(context.principal);
        if (!identity) {
          return Fail(identity.error());
        }
        return boost::json::object{
            {"UserId", identity->user_id}, {"Account", identity->account}, {"Arn", identity->arn}};
      }});
  return OperationTable(std::move(rows));
}

}  // namespace fulcrum::services::sts
