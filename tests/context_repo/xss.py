"""Known XSS vectors, and an independent checker of the HTML that reaches a page.

The checker does not reuse the renderer's own allow-lists: it parses the HTML the way a browser
would and refuses anything executable, whatever the renderer believes it allowed.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import unquote

VECTORS: list[str] = [
    # Script tags, plain and disguised
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://xss.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '"><script>alert(document.cookie)</script>',
    "<!--<script>alert(1)//-->",
    "<template><script>alert(1)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    # Event handlers
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<video><source onerror="alert(1)"></video>',
    "<audio src=x onerror=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    '<div onmouseover="alert(1)">hover me</div>',
    '<a href="https://ok.example" onclick="alert(1)">looks fine</a>',
    "<isindex type=image src=1 onerror=alert(1)>",
    "<frameset onload=alert(1)>",
    '<img src="data:image/png;base64,AAAA" onload="alert(1)">',
    # javascript:, vbscript: and data: links, HTML and Markdown, disguised
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;&#x61;vascript:alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](java%0ascript:alert(1))",
    "[click](java%09script:alert(1))",
    "[click](%6A%61%76%61%73%63%72%69%70%74:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click](  javascript:alert(1)  )",
    "[click](vbscript:msgbox(1))",
    "[click](VBScript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](DATA:text/html,<script>alert(1)</script>)",
    '[click](https://ok.example "title" onclick="alert(1)")',
    '[click](https://ok.example "a\\" onmouseover=\\"alert(1)")',
    # Markdown images
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![x" onerror="alert(1)](https://ok.example/x.png)',
    "![x](https://ok.example/x.png)",
    # Autolinks
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    # Reference links and images
    "[click][evil]\n\n[evil]: javascript:alert(1)",
    "[click][evil]\n\n[evil]: &#x6A;avascript:alert(1)",
    '[click][evil]\n\n[evil]: javascript:alert(1) "title"',
    "![x][evil]\n\n[evil]: javascript:alert(1)",
    "[evil]\n\n[evil]: data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    # SVG and MathML
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<svg><set attributeName="href" to="javascript:alert(1)"/></svg>',
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    '<math href="javascript:alert(1)">x</math>',
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    # Style
    "<style>body{background:url('javascript:alert(1)')}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<xss style="behavior:url(x.htc)">x</xss>',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    # Frames, objects, embeds
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    # Meta refresh, base href, forms
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<form action="javascript:alert(1)"><input type="submit"></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    # Markdown that must stay text
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "    <img src=x onerror=alert(1)>",
    "> <iframe src=javascript:alert(1)>",
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | [x](javascript:alert(1)) |",
]

# Elements that run code, load things, or change where the page or its forms point.
FORBIDDEN_ELEMENTS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "meta", "base",
    "link", "form", "input", "button", "textarea", "select", "svg", "math", "img", "video",
    "audio", "source", "template", "noscript", "isindex", "marquee", "details", "xss", "animate",
    "set", "maction", "mglyph", "body", "html", "head",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "background", "poster", "to"}
FORBIDDEN_ATTRIBUTES = {"style", "srcdoc", "formaction", "background", "http-equiv", "xlink:href"}
SAFE_SCHEMES = {"http", "https", "mailto"}
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def dangerous_url(value: str) -> bool:
    """True if a browser could treat `value` as something other than a web or mail link."""
    text = value
    for _ in range(4):
        decoded = unquote(html.unescape(text))
        if decoded == text:
            break
        text = decoded
    text = _CONTROL.sub("", text).lower()
    match = re.match(r"^([a-z][a-z0-9+.\-]*):", text)
    if match:
        return match.group(1) not in SAFE_SCHEMES
    return bool(re.match(r"^(javascript|vbscript|data|file)", text))


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))


def elements(markup: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Collector()
    parser.feed(markup)
    parser.close()
    return parser.elements


def problems_in_fragment(markup: str) -> list[str]:
    """Everything executable in a fragment of user content (rendered Markdown, a snippet)."""
    found = []
    for tag, attrs in elements(markup):
        if tag in FORBIDDEN_ELEMENTS:
            found.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"{name} handler on <{tag}>")
            if name in FORBIDDEN_ATTRIBUTES:
                found.append(f"{name} attribute on <{tag}>")
            if name in URL_ATTRIBUTES and value and dangerous_url(value):
                found.append(f"{name}={value!r} on <{tag}>")
    return found


def problems_in_page(markup: str) -> list[str]:
    """Everything executable in a whole page that the app itself did not put there: any event
    handler, any dangerous URL, any script that is not one of the app's own static files."""
    found = []
    for tag, attrs in elements(markup):
        values = dict(attrs)
        if tag == "script" and not (values.get("src") or "").startswith("/static/"):
            found.append("an inline or foreign <script>")
        if tag in ("iframe", "frame", "object", "embed", "base", "style", "applet", "frameset"):
            found.append(f"<{tag}> element")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            found.append("<meta http-equiv=refresh>")
        if tag == "form" and values.get("action") and dangerous_url(values["action"] or ""):
            found.append("a form posting to a dangerous URL")
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"{name} handler on <{tag}>")
            if name in ("style", "srcdoc", "formaction"):
                found.append(f"{name} attribute on <{tag}>")
            if name in URL_ATTRIBUTES and value and dangerous_url(value):
                found.append(f"{name}={value!r} on <{tag}>")
    return found


class _Regions(HTMLParser):
    """The inner HTML of every element carrying `data-markdown` (where rendered Markdown lands)."""

    VOID = {"br", "hr", "img", "input", "meta", "link", "source", "area", "base", "col", "embed", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.regions: list[str] = []
        self._depth = 0
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._depth:
            self._buffer.append(self.get_starttag_text() or "")
            if tag not in self.VOID:
                self._depth += 1
        elif any(name == "data-markdown" for name, _ in attrs):
            self._depth = 1
            self._buffer = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._depth:
            self._buffer.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if self._depth:
            self._depth -= 1
            if self._depth == 0:
                self.regions.append("".join(self._buffer))
            else:
                self._buffer.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self._depth:
            self._buffer.append(data)

    def handle_entityref(self, name: str) -> None:
        if self._depth:
            self._buffer.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        if self._depth:
            self._buffer.append(f"&#{name};")


def markdown_regions(page: str) -> list[str]:
    parser = _Regions()
    parser.feed(page)
    parser.close()
    return parser.regions
