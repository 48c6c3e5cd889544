"""Sign SWF requests for SwfServerless's API Gateway endpoint (IAM authorization checks SigV4 for service
`execute-api`, while stock SWF clients sign for `swf`). Nothing else changes: same client, same calls.

boto3:

    import boto3, swfserverless_signing
    swf = boto3.client("swf", endpoint_url="https://API.execute-api.REGION.amazonaws.com/prod/domains/orders")
    swfserverless_signing.use_execute_api(swf)

The operator API (clients/models/swfserverless, with AWS_DATA_PATH=clients/models) signs the same way:

    ops = boto3.client("swfserverless", endpoint_url=".../prod/domains/orders")
    swfserverless_signing.use_execute_api(ops)

AWS CLI v1, as a plugin (this file on PYTHONPATH), in ~/.aws/config:

    [plugins]
    swfserverless = swfserverless_signing

(AWS CLI v2 also needs `cli_legacy_plugin_path = <directory of this file>` in the same section.)
"""

SIGNING_NAME = "execute-api"


def _sign_as_execute_api(context, **kwargs):
    # botocore signs with the name in the request context's "signing" entry when there is one.
    context.setdefault("signing", {})["signing_name"] = SIGNING_NAME


def use_execute_api(client):
    """Makes an existing boto3/botocore SWF client (or operator API client, `swfserverless`) sign for execute-api;
    returns the client."""
    service = client.meta.service_model.service_id.hyphenize()
    client.meta.events.register("before-call.%s.*" % service, _sign_as_execute_api)
    return client


def awscli_initialize(cli):
    """The AWS CLI's plugin entry point: every `aws swf` and `aws swfserverless` command signs for execute-api."""
    cli.register("before-call.swf.*", _sign_as_execute_api)
    cli.register("before-call.swfserverless.*", _sign_as_execute_api)
