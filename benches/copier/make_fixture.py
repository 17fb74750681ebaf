#!/usr/bin/env python3
"""Writes the copier peer of the D04 render benchmark: a copier template that produces the same
document as the built-in D04 questionnaire, byte for byte, and the complete D04 answers as a
copier data file.

Run it again when questionnaires/d04-backend-architecture.toml or the complete answers change:
    python3 benches/copier/make_fixture.py
The end-to-end benchmark compares both documents and says when they drift apart.

The copier template is the questionnaire's own template text after a generated Jinja prelude
that gives it what spec-interview's template environment gives it, worked out by copier's Jinja
at every render from the questionnaire's metadata and the answers copier was handed:
- the question variables as spec-interview sees them: `when` conditions evaluated in question
  order, each seeing only the questions before it that are shown; a hidden question undefined;
  a question left unanswered standing on its default; an assumption standing as its text;
- `answer(id, missing=, none_text=)`, `answered`, `state`, `prompt` and `related` as macros
  (answers as Markdown: lines kept with hard breaks, bullet lists, pipe tables, "none" in the
  questionnaire's words, defaults labelled as not yet confirmed, assumptions, TODOs);
- `assumptions()`, `todos()` and `coverage()` as lists the prelude builds (a Jinja macro can
  only return text, so the template's calls are rewritten to name the lists);
- the answers' constraints (lengths, counts, ranges), which make an answer "invalid";
- the tidying spec-interview applies to a rendered document (blank runs collapsed, line ends
  trimmed), by capturing the template's output and tidying it in Jinja.

What copier's Jinja cannot do is computed here, in Python, when the fixture is written:
- reading the answers file as spec-interview reads it (control characters made visible, choices
  spelled as the questionnaire spells them, repeated choices dropped, table cells as text);
  the data file holds the answers so read;
- `validate.pattern` (Jinja has no regular expressions): the questions whose answer breaks its
  pattern are listed in the prelude;
- `related()`: Jinja cannot list files, so it finds the documents named in PROJECT_DOCUMENTS,
  which is empty because the benchmark renders in a project with no other document.
Templates that use what the prelude does not provide (checks, ready, findings, traceability,
the cell, mermaid and lacking filters, shape tests) make this script fail rather than drift.
"""
import json
import math
import pathlib
import re
import tomllib

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "benches" / "copier"
QUESTIONNAIRE = ROOT / "questionnaires" / "d04-backend-architecture.toml"
ANSWERS = ROOT / "tests" / "answers" / "d04-backend-architecture-complete.toml"
# File names under .specflow/docs/ that `related()` finds: none, as in the benchmark's project.
PROJECT_DOCUMENTS: list[str] = []

q = tomllib.loads(QUESTIONNAIRE.read_text())
raw_answers = tomllib.loads(ANSWERS.read_text())["answers"]
document = q["documents"][0]
sections = [
    {**section, "document": section.get("document", document["id"])} for section in q["sections"]
]
questions = [question for section in sections for question in section["questions"]]
assert not any(question["id"].startswith("_") for question in questions), "the prelude's names start with _"


# ── The answers, read as spec-interview reads them ───────────────────────────────────────────
def sanitize(text):
    """Control characters (but newline and tab) and bidirectional controls made visible."""
    out = []
    for c in text.replace("\r\n", "\n"):
        n = ord(c)
        if c == "\r":
            out.append("\n")
        elif c in "\n\t":
            out.append(c)
        elif n <= 0x1F:
            out.append(chr(0x2400 + n))
        elif n == 0x7F:
            out.append("\u2421")
        elif 0x80 <= n <= 0x9F or 0x202A <= n <= 0x202E or 0x2066 <= n <= 0x2069:
            out.append("\ufffd")
        else:
            out.append(c)
    return "".join(out)


def rust_float(f):
    """A float as Rust prints it: no ".0" on whole numbers."""
    return str(int(f)) if f.is_integer() and abs(f) < 1e16 else repr(f)


def choose(question, text):
    options = question.get("options", [])
    for option in options:
        if option == text:
            return option
    for option in options:
        if option.lower() == text.lower():  # ASCII case only in spec-interview; close enough
            return option
    assert question.get("other") and text.strip(), f'"{text}" is not an option of {question["id"]}'
    return text


def cell_text(cell):
    """A table cell as text: strings sanitised, numbers and booleans as Rust prints them."""
    if isinstance(cell, str):
        return sanitize(cell)
    if isinstance(cell, bool):
        return str(cell).lower()
    return rust_float(cell) if isinstance(cell, float) else str(cell)


def read(question, value):
    """An answer from the answers file as spec-interview reads it (Answer::from_toml)."""
    kind = question["kind"]
    if kind == "checklist" and isinstance(value, dict):
        return {"assumption": sanitize(value["assumption"])}
    if kind in ("text", "multiline", "checklist"):
        return sanitize(value)
    if kind == "choice":
        return choose(question, sanitize(value))
    if kind == "multi_choice":
        chosen = []
        for item in value:
            option = choose(question, sanitize(item))
            if option not in chosen:
                chosen.append(option)
        return chosen
    if kind == "list":
        return [sanitize(item) for item in value]
    if kind == "table":
        return [{column: cell_text(cell) for column, cell in row.items()} for row in value]
    return value  # yes_no, number


by_id = {question["id"]: question for question in questions}
answers = {qid: read(by_id[qid], value) for qid, value in raw_answers.items() if qid in by_id}


# ── Patterns: Jinja has no regular expressions ───────────────────────────────────────────────
def texts(value):
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [value.get("assumption", "")]
    return []


pattern_broken = [
    qid
    for qid, value in answers.items()
    if (pattern := by_id[qid].get("validate", {}).get("pattern")) is not None
    and (
        any(not re.fullmatch(f"(?:{pattern})", t) for t in texts(value))
        or (by_id[qid]["kind"] == "list" and any(not re.fullmatch(f"(?:{pattern})", t) for t in value))
    )
]

# ── copier.yml: one question per questionnaire question, typed like the answer it holds ──────
TYPES = {"number": "yaml", "list": "yaml", "table": "yaml", "multi_choice": "yaml", "yes_no": "yaml"}
lines = [
    "# Generated by make_fixture.py from questionnaires/d04-backend-architecture.toml.",
    "_envops:",
    "  trim_blocks: true",
    "  lstrip_blocks: true",
    "  keep_trailing_newline: true",
]
for question in questions:
    lines.append(f"{question['id']}:")
    kind = TYPES.get(question["kind"], "str")
    if isinstance(answers.get(question["id"]), dict):
        kind = "yaml"  # an assumption in place of an answer: {assumption = "..."}
    lines.append(f"  type: {kind}")
    lines.append(f"  help: {json.dumps(question['prompt'])}")
    # No `choices`: an unanswered choice is empty, and read() above already holds every answer
    # to the questionnaire's options as spec-interview does.
    # Unanswered is empty (an empty list is the answer "none"); the prelude applies the
    # questionnaire's default, labelled as one, as spec-interview does.
    lines.append(f"  default: {'null' if kind == 'yaml' else json.dumps('')}")
(OUT / "d04").mkdir(parents=True, exist_ok=True)
(OUT / "d04" / "copier.yml").write_text("\n".join(lines) + "\n")

# The answers: JSON is YAML, and keeps every value as it is.
(OUT / "d04-answers.yml").write_text(json.dumps(answers, indent=2, ensure_ascii=False) + "\n")


# ── The prelude ──────────────────────────────────────────────────────────────────────────────
def jinja(value):
    """A Python value as a Jinja literal."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        assert not isinstance(value, float) or math.isfinite(value)
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(jinja(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{jinja(k)}: {jinja(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


section_of = {question["id"]: section for section in sections for question in section["questions"]}
meta = {
    question["id"]: {
        "label": question.get("label", question["prompt"].rstrip("?")),
        "prompt": question["prompt"],
        "required": bool(question.get("required")),
        "assume": question.get("assume"),
        "default": question.get("default"),
        "none": question.get("none"),
        "kind": question["kind"],
        "columns": [[c["id"], c["title"]] for c in question.get("columns", [])],
        "validate": {k: v for k, v in question.get("validate", {}).items() if k != "pattern"},
        "document": section_of[question["id"]]["document"],
    }
    for question in questions
}
coverage_sections = [
    {"id": s["id"], "title": s["title"], "document": s["document"], "questions": [x["id"] for x in s["questions"]]}
    for s in sections
]

PRELUDE = r"""{#- The D04 document for copier, generated by make_fixture.py: spec-interview's template
    functions as Jinja over the questionnaire's metadata and the answers (see its docstring). -#}
{%- set _Q = @META@ -%}
{%- set _SECTIONS = @SECTIONS@ -%}
{%- set _PATTERN_BROKEN = @BROKEN@ -%}
{%- set _DOCUMENTS = @DOCUMENTS@ -%}
{%- set document = @DOCUMENT@ -%}
{%- set questionnaire = @QUESTIONNAIRE@ -%}
{%- set _UNCONFIRMED = "*(default, not yet confirmed)*" -%}
{%- set _G = {} -%}{#- the answers given: not missing, not blank -#}
{%- set _E = {} -%}{#- what templates see of each shown question: answer or default -#}
{%- set _shown = [] -%}
{%- macro _blank(v) -%}
{%- if v is none -%}1
{%- elif v is string -%}{{ "1" if not v.strip() }}
{%- elif v is mapping -%}{{ "1" if not v.get("assumption", "").strip() }}
{%- elif v is sequence and v | length > 0 -%}
{%- set ns = namespace(blank=true) -%}
{%- for item in v -%}
{%- if item is mapping -%}{%- for c in item.values() if (c | string).strip() -%}{%- set ns.blank = false -%}{%- endfor -%}
{%- elif (item | string).strip() -%}{%- set ns.blank = false -%}
{%- endif -%}
{%- endfor -%}
{{ "1" if ns.blank }}
{%- endif -%}
{%- endmacro -%}
{%- for id in _Q if not _blank(_copier_answers.get(id)) -%}{%- set _ = _G.update({id: _copier_answers.get(id)}) -%}{%- endfor -%}
{%- macro _show(id) -%}
{%- set _ = _shown.append(id) -%}
{%- set v = _G.get(id, _Q[id].default) -%}
{%- if v is not none -%}{%- set _ = _E.update({id: v.assumption if v is mapping else v}) -%}{%- endif -%}
{%- endmacro -%}
{#- Text that keeps its lines: a line followed by another in the same paragraph ends in "\". -#}
{%- macro _structural(line) -%}
{%- set t = line.lstrip() -%}
{%- set rest = t.lstrip("0123456789") -%}
{{- "1" if not t or t[:1] in "|#>" or t.startswith("```") or t.startswith("~~~")
    or t[:2] in ["- ", "* ", "+ "]
    or (rest | length < t | length and rest[:2] in [". ", ") "]) -}}
{%- endmacro -%}
{%- macro _keep_lines(text) -%}
{%- set lines = text.split("\n") -%}
{%- set ns = namespace(fence=false) -%}
{%- for raw in lines -%}
{%- set line = raw.rstrip() -%}
{%- if line.lstrip().startswith("```") or line.lstrip().startswith("~~~") -%}{%- set ns.fence = not ns.fence -%}{%- endif -%}
{{- line -}}
{%- if not loop.last -%}
{%- if not ns.fence and not _structural(line) and not _structural(lines[loop.index].rstrip()) and not line.endswith("\\") -%}\{%- endif -%}
{{- "\n" -}}
{%- endif -%}
{%- endfor -%}
{%- endmacro -%}
{%- macro _cell(text) -%}
{{- (text | string).strip().replace("|", "\\|").replace("\\\n", "\n").replace("\n", "<br>") -}}
{%- endmacro -%}
{%- macro _number(v) -%}{{ v | int if v is float and v == v | int and v | abs < 1e16 else v }}{%- endmacro -%}
{#- An answer as Markdown: text keeps its lines, lists become bullets, tables pipe tables. -#}
{%- macro _markdown(q, v) -%}
{%- if v is mapping -%}*Assumption:* {{ _keep_lines(v.assumption.rstrip()) }}
{%- elif v is string -%}{{ _keep_lines(v.rstrip()) }}
{%- elif v is sameas true -%}Yes
{%- elif v is sameas false -%}No
{%- elif v is number -%}{{ _number(v) }}
{%- elif q.kind == "table" -%}
| {% for c in q.columns %}{{ _cell(c[1]) }}{{ " | " if not loop.last }}{% endfor %} |{{ "\n" -}}
|{% for c in q.columns %}---|{% endfor %}
{%- for row in v -%}{{ "\n" }}| {% for c in q.columns %}{{ _cell(row.get(c[0], "")) }}{{ " | " if not loop.last }}{% endfor %} |{%- endfor -%}
{%- else -%}
{%- for item in v if item.strip() -%}{{ "\n" if not loop.first }}- {{ item.strip().replace("\n", "\n  ") }}{%- endfor -%}
{%- endif -%}
{%- endmacro -%}
{#- The answer's constraints (patterns are checked by make_fixture.py). -#}
{%- macro _invalid(id) -%}
{%- set q = _Q[id] -%}
{%- set c = q.validate -%}
{%- set v = _G[id] -%}
{%- set v = v.assumption if v is mapping else v -%}
{%- set texts = [v] if v is string else (v if q.kind == "list" else []) -%}
{%- set ns = namespace(bad=id in _PATTERN_BROKEN) -%}
{%- for t in texts -%}
{%- if (c.min_length is defined and t | length < c.min_length) or (c.max_length is defined and t | length > c.max_length) -%}{%- set ns.bad = true -%}{%- endif -%}
{%- endfor -%}
{%- if v is number and v is not sameas true and v is not sameas false -%}
{%- if (c.min is defined and v < c.min) or (c.max is defined and v > c.max) or (v is float and c.integer and v != v | int) -%}{%- set ns.bad = true -%}{%- endif -%}
{%- elif v is sequence and v is not string -%}
{%- if (c.min_items is defined and v | length < c.min_items) or (c.max_items is defined and v | length > c.max_items) -%}{%- set ns.bad = true -%}{%- endif -%}
{%- endif -%}
{{- "1" if ns.bad -}}
{%- endmacro -%}
{#- answer(id, missing=..., none_text=...): as spec-interview's answer(). -#}
{%- macro answer(id, missing=none, none_text=none) -%}
{%- set q = _Q[id] -%}
{%- if id not in _shown -%}
{%- elif id in _G and _G[id] is sequence and _G[id] is not string and _G[id] | length == 0 -%}
{{- none_text if none_text is not none else (q.none if q.none is not none else "None.") -}}
{%- elif id in _G -%}{{ _markdown(q, _G[id]) }}
{%- elif q.default is not none and q.default is sequence and q.default is not string -%}{{ _UNCONFIRMED }}{{ "\n\n" }}{{ _markdown(q, q.default) }}
{%- elif q.default is not none -%}{{ _markdown(q, q.default) }} {{ _UNCONFIRMED }}
{%- elif q.assume is not none -%}*Assumption:* {{ q.assume }}
{%- elif q.required -%}**TODO:** {{ q.prompt }}
{%- elif missing is not none -%}{{ missing }}
{%- else -%}*Open:* {{ q.prompt }}
{%- endif -%}
{%- endmacro -%}
{%- macro answered(id) -%}{{ "1" if id in _E }}{%- endmacro -%}
{%- macro prompt(id) -%}{{ _Q[id].prompt }}{%- endmacro -%}
{#- state(id): "answered", "none", "default", "assumed", "invalid", "open" or "hidden". -#}
{%- macro state(id) -%}
{%- set q = _Q[id] -%}
{%- if id not in _shown -%}hidden
{%- elif id in _G and _G[id] is mapping -%}assumed
{%- elif id in _G and _invalid(id) -%}invalid
{%- elif id in _G and _G[id] is sequence and _G[id] is not string and _G[id] | length == 0 -%}none
{%- elif id in _G -%}answered
{%- elif q.default is not none -%}default
{%- elif q.assume is not none -%}assumed
{%- else -%}open
{%- endif -%}
{%- endmacro -%}
{#- related("D01"): the project's document named D01-….md, if any. -#}
{%- macro related(prefix) -%}
{%- for name in _DOCUMENTS if name.startswith(prefix ~ "-") and "/" not in name and name.lower().endswith(".md") -%}
{{- name if loop.first -}}
{%- endfor -%}
{%- endmacro -%}
{#- What spec-interview does to a rendered document: line ends trimmed, blank runs collapsed. -#}
{%- macro _tidy(text) -%}
{%- set ns = namespace(out=[], blank=0, fence=false, end=0) -%}
{%- for raw in text.split("\n") -%}
{%- set line = raw.rstrip() -%}
{%- if line.lstrip().startswith("```") -%}{%- set ns.fence = not ns.fence -%}{%- endif -%}
{%- if not line and not ns.fence -%}
{%- set ns.blank = ns.blank + 1 -%}
{%- if ns.blank == 1 and ns.out -%}{%- set _ = ns.out.append(line) -%}{%- endif -%}
{%- else -%}
{%- set ns.blank = 0 -%}{%- set _ = ns.out.append(line) -%}
{%- endif -%}
{%- endfor -%}
{%- set ns.end = ns.out | length -%}
{%- for line in ns.out | reverse -%}{%- if ns.blank != -1 and not line -%}{%- set ns.end = ns.end - 1 -%}{%- else -%}{%- set ns.blank = -1 -%}{%- endif -%}{%- endfor -%}
{{- ns.out[:ns.end] | join("\n") }}{{ "\n" -}}
{%- endmacro -%}
{#- The questions in order: a condition sees only the shown questions before it. -#}
@WHEN@
{%- set assumption_list = [] -%}
{%- set todo_list = [] -%}
{%- set coverage_rows = [] -%}
{%- for id in _shown if _Q[id].document == document.id -%}
{%- set q = _Q[id] -%}
{%- if id in _G and _G[id] is mapping -%}{%- set _ = assumption_list.append({"id": id, "label": q.label, "prompt": q.prompt, "text": _G[id].assumption}) -%}
{%- elif id not in _E and q.assume is not none -%}{%- set _ = assumption_list.append({"id": id, "label": q.label, "prompt": q.prompt, "text": q.assume}) -%}
{%- elif id not in _E and q.required -%}{%- set _ = todo_list.append({"id": id, "label": q.label, "prompt": q.prompt}) -%}
{%- endif -%}
{%- endfor -%}
{%- for s in _SECTIONS if s.document == document.id -%}
{%- set ns = namespace(answered=0, defaulted=0, assumed=0, open=0, required_open=0) -%}
{%- for id in s.questions -%}
{%- set st = state(id) -%}
{%- if st in ["answered", "none"] -%}{%- set ns.answered = ns.answered + 1 -%}
{%- elif st == "default" -%}{%- set ns.defaulted = ns.defaulted + 1 -%}
{%- elif st == "assumed" -%}{%- set ns.assumed = ns.assumed + 1 -%}
{%- elif st != "hidden" -%}{%- set ns.open = ns.open + 1 -%}{%- set ns.required_open = ns.required_open + (1 if _Q[id].required else 0) -%}
{%- endif -%}
{%- endfor -%}
{%- if ns.answered + ns.defaulted + ns.assumed + ns.open > 0 -%}
{%- set _ = coverage_rows.append({"section": s.id, "title": s.title, "document": s.document, "answered": ns.answered, "defaulted": ns.defaulted, "assumed": ns.assumed, "open": ns.open, "required_open": ns.required_open}) -%}
{%- endif -%}
{%- endfor -%}
{%- set _body %}
"""
template = document["template"]
for call, name in (("assumptions()", "assumption_list"), ("todos()", "todo_list"), ("coverage()", "coverage_rows")):
    template = template.replace(call, name)
leftover = re.findall(
    r"\b(assumptions|todos|coverage|checks|ready|findings|traceability)\(|\|\s*(cell|mermaid|lacking)\b|\bis\s+(?:not\s+)?("
    + "|".join(["url_example", "names_casing", "names_field", "names_status_code", "number_with_unit", "action_on_resource", "resource_path"])
    + r")\b",
    template,
)
assert not leftover, f"the D04 template uses what the fixture does not provide: {leftover}"
when = "\n".join(
    (f'{{%- if {question["when"]} -%}}{{%- set _ = _show("{question["id"]}") -%}}{{%- endif -%}}' if question.get("when") else f'{{%- set _ = _show("{question["id"]}") -%}}')
    + f'{{%- set {question["id"]} = _E.get("{question["id"]}", _undefined) -%}}'
    for question in questions
)
fills = {
    "META": jinja(meta),
    "SECTIONS": jinja(coverage_sections),
    "BROKEN": jinja(pattern_broken),
    "DOCUMENTS": jinja(PROJECT_DOCUMENTS),
    "DOCUMENT": jinja({"id": document["id"], "path": document["path"], "title": document["title"]}),
    "QUESTIONNAIRE": jinja({"id": q["id"], "version": q["version"], "title": q["title"]}),
    "WHEN": when,
}
prelude = re.sub(r"@([A-Z]+)@", lambda m: fills[m.group(1)], PRELUDE)
name = pathlib.PurePath(document["path"]).name
(OUT / "d04" / f"{name}.jinja").write_text(prelude + template.lstrip("\n") + "{% endset %}{{ _tidy(_body) }}")
print(f"wrote {OUT / 'd04'} and {OUT / 'd04-answers.yml'}")
