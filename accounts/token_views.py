"""`POST /api/v1/auth/token/`: username + password (+ `otp` for staff) -> a new API token (see
`tokens`). Failed passwords go through `authenticate()` with the request, so they count towards
the sign-in lockout exactly like the web login."""

from django.conf import settings
from django.contrib.auth import authenticate
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import twofactor
from accounts.passwords import password_expired
from accounts.tokens import token_issue
from jianxi_portal.core.audit import audit

TOKEN_RESPONSE = inline_serializer(
    "TokenResponse",
    {"token": serializers.CharField(), "prefix": serializers.CharField(), "expires_at": serializers.DateTimeField()},
)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label="用户名")
    password = serializers.CharField(label="密码", style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(label="动态验证码", required=False, allow_blank=True)


class ObtainTokenView(APIView):
    """Username + password (+ `otp` for staff) -> a new API token."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    serializer_class = TokenRequestSerializer

    @extend_schema(request=TokenRequestSerializer, responses=TOKEN_RESPONSE)
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request, username=data.validated_data["username"], password=data.validated_data["password"]
        )
        if user is None:
            raise exceptions.ValidationError({"non_field_errors": ["用户名或密码不正确。"]})
        self.check_second_factor(user, data.validated_data.get("otp", ""))
        if password_expired(user):
            days = settings.PASSWORD_MAX_AGE_DAYS
            raise exceptions.PermissionDenied(f"密码已超过 {days} 天未修改，请先在网页上修改密码。")
        token, key = token_issue(user=user, by=user, name="API 登录")
        audit("login.success", user=user, detail={"via": "api_token"})
        return Response({"token": key, "prefix": token.prefix, "expires_at": token.expires_at})

    def check_second_factor(self, user, otp: str) -> None:
        if not twofactor.needs_two_factor(user):
            return
        if not twofactor.has_device(user):
            raise exceptions.PermissionDenied("工作人员须先在网页上绑定身份验证器（双因素认证），才能获取 API 令牌。")
        if not otp:
            raise exceptions.ValidationError({"otp": ["请填写身份验证器上的 6 位动态验证码。"]})
        if not twofactor.verify_token_for(user, otp):
            audit("2fa.failure", user=user, result="failed", detail={"via": "api_token"})
            raise exceptions.ValidationError({"otp": ["动态验证码不正确。"]})


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Describes `Authorization: Token <key>` in the OpenAPI schema."""

    target_class = "accounts.tokens.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token <令牌>（由 POST /api/v1/auth/token/ 或管理员签发，30 天有效）",
        }
