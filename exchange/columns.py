"""Register columns declared on django-import-export Resources.

Each `<app>/resources.py` declares its register as an `import_export.resources.Resource` whose fields
are `Col`s: the Chinese column header, the model attribute, the kind of value and, for templates,
whether it is required, what it holds and its allowed values. The Resource is the one declaration
of a register's columns: the import pipeline (`exchange.imports`), the blank template
and the exports read it. Parsing a cell only turns text into a typed value (a date, a number, a
choice); every business rule is left to the owning app's services.

We do not use import-export's own `import_data` loop: it saves row by row (about five SQL
statements per row, ~340 rows/s on these machines), while a register import must run without SQL
per row; see `imports.py` and bench/README.md."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from import_export import fields, resources, widgets

from exchange.xlsx import Column

TRUE_WORDS = {"是", "有", "y", "yes", "true", "1", "√", "✓"}
FALSE_WORDS = {"否", "无", "n", "no", "false", "0", "×", "✗"}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


class CellError(Exception):
    """A cell that can't be read as its column's kind; the message is Chinese."""


class Col(fields.Field):
    """A register column: `Col("name", "姓名", required=True)`; `kind` is text, int, money, date or
    bool; `choices` is a list of (value, label) pairs: a cell holds the label (or the value);
    `personal` marks an export column of an encrypted personal value."""

    def __init__(
        self,
        attribute: str,
        column_name: str,
        *,
        kind: str = "text",
        required: bool = False,
        help: str = "",
        choices=None,
        max_length: int | None = None,
        width: int = 16,
        export: bool = True,
        aliases: dict | None = None,
        personal: bool = False,
        example: str = "",
    ):
        widget = {
            "date": widgets.DateWidget(),
            "int": widgets.IntegerWidget(),
            "money": widgets.DecimalWidget(),
            "bool": widgets.BooleanWidget(),
        }.get(kind, widgets.CharWidget())
        super().__init__(attribute=attribute, column_name=column_name, widget=widget)
        self.kind, self.required, self.help, self.max_length, self.width = kind, required, help, max_length, width
        self.example = example
        self.choices = list(choices or [])
        self.export = export
        # An exported ID number, phone or bank account (`jianxi_portal.core.personal`): `attribute` names
        # the encrypted field (e.g. "id_number"); the exporter writes it in full only for the
        # people its rule names, masked for everyone else.
        self.personal = personal
        self._by_label = {}
        for value, label in self.choices:
            self._by_label[str(label)] = value
            self._by_label[str(value)] = value
        for alias, value in (aliases or {}).items():
            self._by_label.setdefault(alias, value)

    @property
    def spec(self) -> Column:
        return Column(
            self.column_name,
            kind=self.kind,
            width=self.width,
            required=self.required,
            help=self.help,
            choices=tuple(str(label) for _, label in self.choices),
            example=self.example,
        )

    def label_of(self, value) -> str:
        for choice, label in self.choices:
            if choice == value:
                return str(label)
        return "" if value is None else str(value)

    def parse(self, raw):
        """The typed value of a cell (None when empty), or CellError."""
        if isinstance(raw, str):
            raw = raw.strip()
        if raw is None or raw == "":
            if self.required:
                raise CellError(f"“{self.column_name}”为必填项。")
            return None if self.kind != "text" else ""
        if self.choices:
            return self._choice(raw)
        return getattr(self, f"_{self.kind}")(raw)

    def _choice(self, raw):
        key = str(raw).strip()
        if key in self._by_label:
            return self._by_label[key]
        allowed = "、".join(str(label) for _, label in self.choices)
        raise CellError(f"“{self.column_name}”的值“{key[:20]}”不在允许范围内，应为：{allowed}。")

    def _text(self, raw) -> str:
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)  # a number typed into a text column (e.g. a phone number)
        text = str(raw).strip()
        if self.max_length and len(text) > self.max_length:
            raise CellError(f"“{self.column_name}”不能超过{self.max_length}个字。")
        return text

    def _date(self, raw) -> date:
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        text = str(raw).strip()
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise CellError(f"“{self.column_name}”的日期“{text[:20]}”无法识别，请按 YYYY-MM-DD 填写（如 2024-07-01）。")

    def _int(self, raw) -> int:
        try:
            number = Decimal(str(raw).strip())
        except InvalidOperation:
            number = None
        if number is None or number != number.to_integral_value():
            raise CellError(f"“{self.column_name}”应为整数，当前为“{str(raw)[:20]}”。")
        return int(number)

    def _money(self, raw) -> Decimal:
        try:
            amount = Decimal(str(raw).strip().replace(",", "")) if not isinstance(raw, float) else Decimal(repr(raw))
        except InvalidOperation:
            raise CellError(f"“{self.column_name}”应为金额（元），当前为“{str(raw)[:20]}”。") from None
        if amount != amount.quantize(Decimal("0.01")):
            raise CellError(f"“{self.column_name}”最多两位小数。")
        return amount.quantize(Decimal("0.01"))

    def _bool(self, raw) -> bool:
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise CellError(f"“{self.column_name}”应填“是”或“否”，当前为“{str(raw)[:20]}”。")


class RegisterResource(resources.Resource):
    """A register's columns (declared as `Col`s); `key_column` names the column that matches a row
    to an existing record (credit code, ID number, a stable id)."""

    key_column: str = ""

    @classmethod
    def columns(cls) -> list[Col]:
        return [f for f in cls.fields.values() if isinstance(f, Col)]

    @classmethod
    def headers(cls) -> list[str]:
        return [c.column_name for c in cls.columns()]

    @classmethod
    def required_headers(cls) -> list[str]:
        return [c.column_name for c in cls.columns() if c.required]

    @classmethod
    def column_for(cls, attribute: str) -> str:
        for column in cls.columns():
            if column.attribute == attribute:
                return column.column_name
        return ""
