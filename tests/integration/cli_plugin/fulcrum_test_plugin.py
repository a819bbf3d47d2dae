"""An AWS CLI v2 plugin used by the integration tests (loaded through cli_legacy_plugin_path).

Its before-send handler runs after the request is signed and before it is sent:
- with FULCRUM_TEST_SIGNATURE_LOG set, it appends the request's signature to that file, so the
  tests can check that the server never prints it;
- with FULCRUM_TEST_TAMPER_BODY=1, it reverses the order of the form parameters in the body, which
  keeps its length and meaning but breaks the signature.
"""

import os
import re

_SIGNATURE = re.compile(r"Signature=([0-9a-f]{64})")


def awscli_initialize(event_hooks):
    event_hooks.register("before-send", _before_send)


def _before_send(request, **kwargs):
    log_path = os.environ.get("FULCRUM_TEST_SIGNATURE_LOG")
    authorization = request.headers.get("Authorization")
    if log_path and authorization:
        if isinstance(authorization, bytes):
            authorization = authorization.decode("latin-1")
        with open(log_path, "a") as log:
            for signature in _SIGNATURE.findall(authorization):
                log.write(signature + "\n")
    if os.environ.get("FULCRUM_TEST_TAMPER_BODY") == "1":
        body = request.body
        text = body.decode() if isinstance(body, (bytes, bytearray)) else body
        reordered = "&".join(reversed(text.split("&")))
        request.body = reordered.encode() if isinstance(body, (bytes, bytearray)) else reordered
    return None
