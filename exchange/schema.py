"""OpenAPI: the errors every endpoint can answer, added to each operation of /api/schema/ (a
drf-spectacular post-processing hook), with the error bodies of `jianxi_portal.core.api_base`."""

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "说明（简体中文）"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "字段名 → 错误信息列表；与字段无关的错误在 non_field_errors 中。",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}


def _response(description: str, schema_name: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}},
    }


COMMON = {
    "401": _response("未登录，或令牌无效、已过期、已被吊销（请求头 Authorization: Token <令牌>）。", "ErrorDetail"),
    "403": _response("无权执行该操作（角色或所属市（州）、单位不符）。", "ErrorDetail"),
    "429": _response("超过调用频率限制（每个令牌单独计数）；响应头 Retry-After 给出需等待的秒数。", "ErrorDetail"),
}
NOT_FOUND = _response("对象不存在，或不在您的可见范围内（其他市（州）、单位的数据同样答复 404）。", "ErrorDetail")
INVALID = _response("数据未通过校验：按字段列出原因（与网页表单的校验规则相同）。", "FieldErrors")
CONFLICT = _response("当前状态不允许该操作（如已审核的事项再次审核）。", "ErrorDetail")
WRITE_METHODS = {"post", "put", "patch"}


def add_error_responses(result, generator, request, public):
    """Document 400/401/403/404/409/429 on every operation that can answer them."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("ErrorDetail", ERROR)
    schemas.setdefault("FieldErrors", FIELD_ERRORS)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, response in COMMON.items():
                responses.setdefault(code, response)
            if "{" in path:
                responses.setdefault("404", NOT_FOUND)
            if method in WRITE_METHODS or operation.get("parameters"):
                responses.setdefault("400", INVALID)
            if method == "post" and "{" in path.rstrip("/").rsplit("/", 1)[0]:
                responses.setdefault("409", CONFLICT)
    return result
