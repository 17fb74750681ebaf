//! Bounded template evaluation: a questionnaire's templates run with every string they build,
//! every comparison and every byte they write metered against `core::limits`, so a hostile
//! template stops with a sentence naming the limit instead of exhausting memory or time.
//!
//! minijinja bounds the number of instructions (fuel) but not what one instruction costs, and
//! it offers no hook on its operators: `~` and `+` concatenate, `*` repeats, `==` and `in`
//! compare whole strings, and output (also into `{% set %}` blocks) grows without a cap. So
//! before each evaluation the template's compiled instructions are copied with a check in
//! front of every instruction that builds, compares or writes text (see [`guarded`]): the
//! check sees the operands, charges their size to the evaluation's budget, refuses what would
//! exceed a limit, and hands the operands back unchanged, so the operator itself keeps
//! minijinja's exact meaning. `~` is replaced by a bounded concatenation of the same meaning.
//! Built-in filters and functions are replaced by wrappers that estimate their result before
//! running them (`format`, `replace`, `join`, `indent`, …) and measure it after.
use minijinja::machinery::{self, Instruction, Instructions};
use minijinja::value::{Kwargs, Rest, Value, ValueKind};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, State};
use std::cell::RefCell;
use std::fmt::Write as _;

use crate::core::limits::{self, Limit};

// The checks, as functions the guarded instructions call. Their names are not identifiers, so
// no template can define, shadow or call them.
const CONCAT: &str = "⟨concat⟩";
const ADD: &str = "⟨add⟩";
const MUL: &str = "⟨mul⟩";
const COMPARE: &str = "⟨compare⟩";
const CONTAINS: &str = "⟨contains⟩";
const ITEM: &str = "⟨item⟩";
const SLICE: &str = "⟨slice⟩";
const TEST: &str = "⟨test⟩";
const EMIT: &str = "⟨emit⟩";
const RAW: &str = "⟨raw⟩";

/// What the templates of one pass (all conditions, all documents, or the rules of one check)
/// may still spend together.
#[derive(Debug, Clone)]
pub struct Pass {
    steps_left: u64,
    work_left: usize,
}

impl Pass {
    /// Steps and work this pass may still spend.
    pub fn left(&self) -> (u64, usize) {
        (self.steps_left, self.work_left)
    }

    /// Charges what an evaluation whose text is reused took when it ran.
    pub fn charge(&mut self, steps: u64, work: usize) {
        self.steps_left = self.steps_left.saturating_sub(steps);
        self.work_left = self.work_left.saturating_sub(work);
    }
}

impl Default for Pass {
    fn default() -> Self {
        Pass {
            steps_left: limits::STEPS_PER_PASS,
            work_left: limits::WORK_PER_PASS,
        }
    }
}

/// An evaluation that did not finish: minijinja's error (with the template line), the limit
/// that stopped it if one did, and the text that was too large (to tell which answer drove it).
#[derive(Debug)]
pub struct Stopped {
    pub error: Error,
    pub limit: Option<Limit>,
    pub operand: Option<Value>,
}

impl Stopped {
    /// Why it stopped, as the end of a sentence.
    pub fn detail(&self) -> String {
        match self.limit {
            Some(limit) => limit.sentence(),
            None => self
                .error
                .detail()
                .map_or_else(|| self.error.kind().to_string(), str::to_string)
                .trim_end_matches('.')
                .to_string(),
        }
    }
}

/// The budget of the evaluation running on this thread.
struct Meter {
    /// Bytes this evaluation may still build, compare or write.
    limit: usize,
    used: usize,
    /// Whether `limit` is what the pass had left rather than the per-template limit.
    pass_bound: bool,
    tripped: Option<(Limit, Option<Value>)>,
    /// Steps taken, as last seen by a check (for a pass when the evaluation fails).
    steps: u64,
}

thread_local! {
    static METER: RefCell<Option<Meter>> = const { RefCell::new(None) };
}

/// Records that `limit` stopped the evaluation, and returns the error that stops it.
fn stop(limit: Limit, operand: Option<&Value>) -> Error {
    METER.with(|m| {
        if let Some(meter) = m.borrow_mut().as_mut()
            && meter.tripped.is_none()
        {
            meter.tripped = Some((limit, operand.cloned()));
        }
    });
    Error::new(ErrorKind::InvalidOperation, limit.sentence())
}

/// Bytes the evaluation may still spend (unbounded outside an evaluation).
fn remaining() -> usize {
    METER.with(|m| {
        m.borrow()
            .as_ref()
            .map_or(usize::MAX, |meter| meter.limit.saturating_sub(meter.used))
    })
}

/// Charges `bytes` to the evaluation; `operand` is what they came from.
fn charge(bytes: usize, operand: Option<&Value>) -> Result<(), Error> {
    let over = METER.with(|m| {
        let mut m = m.borrow_mut();
        let meter = m.as_mut()?;
        meter.used = meter.used.saturating_add(bytes);
        (meter.used > meter.limit).then_some(if meter.pass_bound { Limit::PassWork } else { Limit::Work })
    });
    match over {
        Some(limit) => Err(stop(limit, operand)),
        None => Ok(()),
    }
}

fn note_steps(state: &State) {
    if let Some((used, _)) = state.fuel_levels() {
        METER.with(|m| {
            if let Some(meter) = m.borrow_mut().as_mut() {
                meter.steps = used;
            }
        });
    }
}

/// Counts what is written, and fails once past `limit`.
struct Counter {
    written: usize,
    limit: usize,
}

impl std::fmt::Write for Counter {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.written = self.written.saturating_add(s.len());
        if self.written > self.limit {
            Err(std::fmt::Error)
        } else {
            Ok(())
        }
    }
}

/// The length of `value` as text, or `None` when it is longer than `limit` (found out without
/// building the text).
fn text_len(value: &Value, limit: usize) -> Option<usize> {
    if let Some(s) = value.as_str() {
        return (s.len() <= limit).then_some(s.len());
    }
    let mut counter = Counter { written: 0, limit };
    write!(counter, "{value}").ok().map(|()| counter.written)
}

/// What handling `value` costs: its text bytes plus a little for each item, counted without
/// recursion and given up once past `limit` (then more than `limit`).
fn weight(value: &Value, limit: usize) -> usize {
    const ITEM: usize = 16;
    let mut total = 0usize;
    let mut pending = vec![value.clone()];
    while let Some(v) = pending.pop() {
        total = total.saturating_add(ITEM);
        match v.kind() {
            ValueKind::String => total = total.saturating_add(v.as_str().map_or(0, str::len)),
            ValueKind::Bytes => total = total.saturating_add(v.as_bytes().map_or(0, <[u8]>::len)),
            ValueKind::Seq | ValueKind::Iterable | ValueKind::Map => {
                if let Ok(items) = v.try_iter() {
                    let map = v.kind() == ValueKind::Map;
                    for item in items {
                        if map && let Ok(inner) = v.get_item(&item) {
                            pending.push(inner);
                        }
                        pending.push(item);
                        if total.saturating_add(ITEM.saturating_mul(pending.len())) > limit {
                            return limit.saturating_add(1);
                        }
                    }
                }
            }
            _ => {}
        }
        if total > limit {
            return total;
        }
    }
    total
}

/// How many items `value` has (characters for a string), counting at most `limit + 1`.
fn items(value: &Value, limit: usize) -> usize {
    if let Some(s) = value.as_str() {
        return s.chars().take(limit.saturating_add(1)).count();
    }
    if let Some(n) = value.len() {
        return n;
    }
    value
        .try_iter()
        .map_or(0, |iter| iter.take(limit.saturating_add(1)).count())
}

/// The operands back, in the order the unpacking that follows the check expects (it reverses).
fn hand_back(mut args: Vec<Value>) -> Value {
    args.reverse();
    Value::from(args)
}

/// Charges what comparing or searching `args` costs.
fn charge_weights(args: &[Value]) -> Result<(), Error> {
    let limit = remaining();
    for arg in args {
        charge(weight(arg, limit), Some(arg))?;
    }
    Ok(())
}

/// `a ~ b`, bounded.
fn concat(state: &State, a: &Value, b: &Value) -> Result<Value, Error> {
    note_steps(state);
    let larger = if text_len(a, usize::MAX) >= text_len(b, usize::MAX) {
        a
    } else {
        b
    };
    let (Some(la), Some(lb)) = (text_len(a, limits::MAX_STRING), text_len(b, limits::MAX_STRING)) else {
        return Err(stop(Limit::String, Some(larger)));
    };
    if la + lb > limits::MAX_STRING {
        return Err(stop(Limit::String, Some(larger)));
    }
    charge(la + lb, Some(larger))?;
    let mut out = String::with_capacity(la + lb);
    let _ = write!(out, "{a}{b}");
    Ok(Value::from(out))
}

/// Before `a + b`: strings and lists it would join.
fn add(state: &State, a: Value, b: Value) -> Result<Value, Error> {
    note_steps(state);
    if let (Some(x), Some(y)) = (a.as_str(), b.as_str()) {
        let larger = if x.len() >= y.len() { &a } else { &b };
        if x.len() + y.len() > limits::MAX_STRING {
            return Err(stop(Limit::String, Some(larger)));
        }
        charge(x.len() + y.len(), Some(larger))?;
    } else if is_list(&a) && is_list(&b) {
        let n = items(&a, limits::MAX_ITEMS) + items(&b, limits::MAX_ITEMS);
        if n > limits::MAX_ITEMS {
            return Err(stop(Limit::Items, None));
        }
        charge(n * 16, None)?;
    }
    Ok(hand_back(vec![a, b]))
}

fn is_list(v: &Value) -> bool {
    matches!(v.kind(), ValueKind::Seq | ValueKind::Iterable)
}

/// Before `a * b`: a string or a list repeated.
fn mul(state: &State, a: Value, b: Value) -> Result<Value, Error> {
    note_steps(state);
    let repeated = if a.is_number() { (&b, &a) } else { (&a, &b) };
    if let (Ok(times), true) = (usize::try_from(repeated.1.clone()), !repeated.0.is_number()) {
        if let Some(s) = repeated.0.as_str() {
            let len = s.len().checked_mul(times).filter(|n| *n <= limits::MAX_STRING);
            let Some(len) = len else {
                return Err(stop(Limit::String, Some(repeated.0)));
            };
            charge(len, Some(repeated.0))?;
        } else if is_list(repeated.0) {
            let n = items(repeated.0, limits::MAX_ITEMS)
                .checked_mul(times)
                .filter(|n| *n <= limits::MAX_ITEMS);
            let Some(n) = n else {
                return Err(stop(Limit::Items, None));
            };
            charge(n * 16, None)?;
        }
    }
    Ok(hand_back(vec![a, b]))
}

/// Before `==`, `<` and the other comparisons.
fn compare(state: &State, a: Value, b: Value) -> Result<Value, Error> {
    note_steps(state);
    charge_weights(&[a.clone(), b.clone()])?;
    Ok(hand_back(vec![a, b]))
}

/// Before `needle in container`: searching a string, or comparing the needle with each item.
fn contains(state: &State, needle: Value, container: Value) -> Result<Value, Error> {
    note_steps(state);
    charge_weights(&[needle.clone(), container.clone()])?;
    if container.as_str().is_none() {
        let per_item = weight(&needle, remaining());
        charge(
            per_item.saturating_mul(items(&container, limits::MAX_ITEMS)),
            Some(&needle),
        )?;
    }
    Ok(hand_back(vec![needle, container]))
}

/// Before `container[key]`: indexing a string walks its characters.
fn item(state: &State, container: Value, key: Value) -> Result<Value, Error> {
    note_steps(state);
    if let Some(s) = container.as_str() {
        charge(s.len(), Some(&container))?;
    }
    Ok(hand_back(vec![container, key]))
}

/// Before `value[start:stop:step]`: a slice copies.
fn slice(state: &State, args: Rest<Value>) -> Result<Value, Error> {
    note_steps(state);
    if let Some(value) = args.first() {
        charge(weight(value, remaining()), Some(value))?;
    }
    Ok(hand_back(args.0))
}

/// Before a test (`is startingwith`, `is in`, …).
fn test(state: &State, args: Rest<Value>) -> Result<Value, Error> {
    note_steps(state);
    charge_weights(&args)?;
    Ok(hand_back(args.0))
}

/// Before `{{ value }}`: what it writes, to the document or into a `{% set %}` block.
fn emit(state: &State, value: Value) -> Result<Value, Error> {
    note_steps(state);
    let limit = remaining();
    match text_len(&value, limit) {
        Some(n) => charge(n, Some(&value))?,
        None => charge(limit.saturating_add(1), Some(&value))?,
    }
    Ok(value)
}

/// Before the template's own text is written.
fn raw(state: &State, len: usize) -> Result<(), Error> {
    note_steps(state);
    charge(len, None)
}

/// What a filter's result can be at most, from its arguments, for the filters whose result
/// can be far larger than what they are given. `None`: no estimate needed.
fn estimate(name: &str, args: &[Value]) -> Option<usize> {
    // Arguments are measured only by the functions whose estimate needs them (the match below
    // names each): measuring every call's arguments as text would be wasted work.
    let text = |i: usize| args.get(i).and_then(|v| text_len(v, usize::MAX)).unwrap_or(0);
    let first = || text(0);
    // The largest number and the longest text among the other arguments, keyword arguments
    // included.
    let measured = || {
        let mut longest = 0usize;
        let mut largest = 0usize;
        for arg in args.iter().skip(1) {
            let mut each = |v: &Value| {
                if v.is_number() {
                    largest = largest.max(usize::try_from(v.clone()).unwrap_or(usize::MAX));
                } else {
                    longest = longest.max(text_len(v, usize::MAX).unwrap_or(usize::MAX));
                }
            };
            if arg.kind() == ValueKind::Map {
                if let Ok(keys) = arg.try_iter() {
                    for key in keys {
                        if let Ok(v) = arg.get_item(&key) {
                            each(&v);
                        }
                    }
                }
            } else {
                each(arg);
            }
        }
        (largest, longest)
    };
    Some(match name {
        "format" => {
            let (largest, longest) = measured();
            let spec = args.first().and_then(Value::as_str).unwrap_or("");
            format_estimate(spec, largest, longest)
        }
        "replace" => {
            let (Some(s), Some(from)) = (
                args.first().and_then(Value::as_str),
                args.get(1).and_then(Value::as_str),
            ) else {
                return Some(first().saturating_mul(2));
            };
            let to = text(2);
            let hits = if from.is_empty() {
                s.chars().count() + 1
            } else {
                s.matches(from).count()
            };
            s.len().saturating_add(hits.saturating_mul(to))
        }
        "join" => {
            let (_, longest) = measured();
            let value = args.first()?;
            let n = items(value, limits::MAX_ITEMS);
            let parts = value.try_iter().map_or(0, |iter| {
                iter.take(limits::MAX_ITEMS + 1)
                    .map(|v| text_len(&v, limits::MAX_STRING).unwrap_or(usize::MAX))
                    .fold(0usize, usize::saturating_add)
            });
            parts.saturating_add(n.saturating_mul(longest))
        }
        "indent" => {
            let (largest, longest) = measured();
            let lines = args
                .first()
                .and_then(Value::as_str)
                .map_or(1, |s| s.matches('\n').count() + 1);
            first().saturating_add(lines.saturating_mul(largest.max(longest)))
        }
        "sum" | "string" => args
            .first()
            .map_or(0, |v| text_len(v, usize::MAX).unwrap_or(usize::MAX)),
        "tojson" | "pprint" => {
            let v = args.first()?;
            let depth_indent = measured().0.max(2);
            // Each item may go on its own line, indented by depth × indent; escapes at most
            // six bytes for one.
            weight(v, limits::MAX_STRING)
                .saturating_mul(6)
                .saturating_add(items(v, limits::MAX_ITEMS).saturating_mul(depth_indent))
        }
        "escape" | "e" => first().saturating_mul(6),
        "upper" | "lower" | "title" | "capitalize" => first().saturating_mul(3),
        "list" | "batch" | "slice" => {
            let n = args.first().map_or(0, |v| items(v, limits::MAX_ITEMS));
            if n.max(measured().0) > limits::MAX_ITEMS {
                return Some(usize::MAX);
            }
            return None;
        }
        _ => return None,
    })
}

/// The most a printf-style `format` can write: its text, plus for each conversion its width
/// and precision (or a number argument where it says `*`) and the longest argument.
fn format_estimate(spec: &str, largest_number: usize, longest_text: usize) -> usize {
    let mut total = spec.len();
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        let mut number = 0usize;
        let mut numbers = 0usize;
        while let Some(&next) = chars.peek() {
            chars.next();
            if let Some(d) = next.to_digit(10) {
                number = number.saturating_mul(10).saturating_add(d as usize);
            } else {
                numbers = numbers.saturating_add(number);
                number = 0;
                if next == '*' {
                    numbers = numbers.saturating_add(largest_number);
                }
                if next.is_ascii_alphabetic() || next == '%' {
                    break;
                }
            }
        }
        numbers = numbers.saturating_add(number);
        total = total
            .saturating_add(numbers)
            .saturating_add(longest_text)
            .saturating_add(32);
    }
    total
}

/// `original`, checked: refused before it runs when its result could not fit; charged for what
/// it reads and what it returns.
fn wrap(name: &'static str, original: Value) -> impl Fn(&mut State, Rest<Value>, Kwargs) -> Result<Value, Error> {
    move |state: &mut State, args: Rest<Value>, kwargs: Kwargs| {
        note_steps(state);
        let mut args = args.0;
        if kwargs.args().next().is_some() {
            args.push(Value::from(kwargs));
        }
        charge_weights(&args)?;
        if let Some(bound) = estimate(name, &args) {
            let items_limit = matches!(name, "list" | "batch" | "slice");
            if items_limit && bound > limits::MAX_ITEMS {
                return Err(stop(Limit::Items, args.first()));
            }
            if !items_limit && bound > limits::MAX_STRING {
                return Err(stop(Limit::String, args.first()));
            }
        }
        let result = original.call(state, &args)?;
        if let Some(s) = result.as_str() {
            if s.len() > limits::MAX_STRING {
                return Err(stop(Limit::String, args.first()));
            }
        } else if is_list(&result) && items(&result, limits::MAX_ITEMS) > limits::MAX_ITEMS {
            return Err(stop(Limit::Items, args.first()));
        }
        charge(weight(&result, remaining()), args.first())?;
        Ok(result)
    }
}

/// Adds a template function whose result is charged like a filter's.
pub fn add_function(env: &mut Environment<'_>, name: &'static str, function: Value) {
    env.add_function(name, wrap(name, function));
}

/// Adds a template filter checked like the built-in ones.
pub fn add_filter(env: &mut Environment<'_>, name: &'static str, filter: Value) {
    env.add_filter(name, wrap(name, filter));
}

/// Installs the checks the guarded instructions call, and replaces minijinja's built-in
/// filters and functions with checked ones of the same meaning.
pub fn install(env: &mut Environment<'_>) {
    env.add_function(CONCAT, |state: &State, a: Value, b: Value| concat(state, &a, &b));
    env.add_function(ADD, add);
    env.add_function(MUL, mul);
    env.add_function(COMPARE, compare);
    env.add_function(CONTAINS, contains);
    env.add_function(ITEM, item);
    env.add_function(SLICE, slice);
    env.add_function(TEST, test);
    env.add_function(EMIT, emit);
    env.add_function(RAW, raw);
    for (name, filter) in builtin_filters() {
        env.add_filter(name, wrap(name, filter));
    }
    add_function(env, "range", Value::from_function(minijinja::functions::range));
    add_function(env, "dict", Value::from_function(minijinja::functions::dict));
    add_function(env, "debug", Value::from_function(minijinja::functions::debug));
    add_function(env, "namespace", Value::from_function(minijinja::functions::namespace));
}

/// minijinja's built-in filters, under their names.
fn builtin_filters() -> Vec<(&'static str, Value)> {
    use minijinja::filters as f;
    let escape = Value::from_function(f::escape);
    let length = Value::from_function(f::length);
    let default = Value::from_function(f::default);
    vec![
        ("safe", Value::from_function(f::safe)),
        ("escape", escape.clone()),
        ("e", escape),
        ("lower", Value::from_function(f::lower)),
        ("upper", Value::from_function(f::upper)),
        ("title", Value::from_function(f::title)),
        ("capitalize", Value::from_function(f::capitalize)),
        ("replace", Value::from_function(f::replace)),
        ("length", length.clone()),
        ("count", length),
        ("dictsort", Value::from_function(f::dictsort)),
        ("items", Value::from_function(f::items)),
        ("reverse", Value::from_function(f::reverse)),
        ("trim", Value::from_function(f::trim)),
        ("join", Value::from_function(f::join)),
        ("split", Value::from_function(f::split)),
        ("lines", Value::from_function(f::lines)),
        ("default", default.clone()),
        ("d", default),
        ("round", Value::from_function(f::round)),
        ("abs", Value::from_function(f::abs)),
        ("int", Value::from_function(f::int)),
        ("float", Value::from_function(f::float)),
        ("attr", Value::from_function(f::attr)),
        ("first", Value::from_function(f::first)),
        ("last", Value::from_function(f::last)),
        ("min", Value::from_function(f::min)),
        ("max", Value::from_function(f::max)),
        ("sort", Value::from_function(f::sort)),
        ("list", Value::from_function(f::list)),
        ("string", Value::from_function(f::string)),
        ("bool", Value::from_function(f::bool)),
        ("batch", Value::from_function(f::batch)),
        ("slice", Value::from_function(f::slice)),
        ("sum", Value::from_function(f::sum)),
        ("indent", Value::from_function(f::indent)),
        ("select", Value::from_function(f::select)),
        ("reject", Value::from_function(f::reject)),
        ("selectattr", Value::from_function(f::selectattr)),
        ("rejectattr", Value::from_function(f::rejectattr)),
        ("map", Value::from_function(f::map)),
        ("groupby", Value::from_function(f::groupby)),
        ("unique", Value::from_function(f::unique)),
        ("chain", Value::from_function(f::chain)),
        ("zip", Value::from_function(f::zip)),
        ("pprint", Value::from_function(f::pprint)),
        ("format", Value::from_function(f::format)),
        ("tojson", Value::from_function(f::tojson)),
    ]
}

/// A copy of `original` with a check in front of every instruction that builds, compares or
/// writes text, and `~` replaced by its bounded form. Jump targets are moved to match; a jump
/// to an instruction lands on its check.
pub fn guarded<'s>(original: &Instructions<'s>) -> Instructions<'s> {
    let mut out = Instructions::new(original.name(), original.source());
    let mut len = 0u32;
    // Where each original instruction (and the end) starts in the copy.
    let mut starts: Vec<u32> = Vec::new();
    let mut at = 0u32;
    while let Some(instruction) = original.get(at) {
        starts.push(len);
        let mut push = |i: Instruction<'s>| {
            if let Some(span) = original.get_span(at) {
                out.add_with_span(i, span);
            } else if let Some(line) = original.get_line(at) {
                out.add_with_line(i, u16::try_from(line).unwrap_or(u16::MAX));
            } else {
                out.add(i);
            }
            len += 1;
        };
        let check = |name: &'static str, n: u16| {
            [
                Instruction::CallFunction(name, Some(n)),
                Instruction::UnpackList(n.into()),
            ]
        };
        match instruction {
            Instruction::StringConcat => push(Instruction::CallFunction(CONCAT, Some(2))),
            Instruction::Add => check(ADD, 2).into_iter().for_each(&mut push),
            Instruction::Mul => check(MUL, 2).into_iter().for_each(&mut push),
            Instruction::Eq
            | Instruction::Ne
            | Instruction::Gt
            | Instruction::Gte
            | Instruction::Lt
            | Instruction::Lte
            | Instruction::CompareAndPreserve(_) => check(COMPARE, 2).into_iter().for_each(&mut push),
            Instruction::In => check(CONTAINS, 2).into_iter().for_each(&mut push),
            Instruction::GetItem => check(ITEM, 2).into_iter().for_each(&mut push),
            Instruction::Slice => check(SLICE, 4).into_iter().for_each(&mut push),
            Instruction::PerformTest(_, Some(n), _) => check(TEST, *n).into_iter().for_each(&mut push),
            Instruction::Emit => push(Instruction::CallFunction(EMIT, Some(1))),
            Instruction::EmitRaw(text) => {
                push(Instruction::LoadConst(Value::from(text.len())));
                push(Instruction::CallFunction(RAW, Some(1)));
                push(Instruction::DiscardTop);
            }
            _ => {}
        }
        if !matches!(instruction, Instruction::StringConcat) {
            push(instruction.clone());
        }
        at += 1;
    }
    starts.push(len);
    let moved = |target: u32| starts.get(target as usize).copied().unwrap_or(len);
    let mut i = 0u32;
    while let Some(instruction) = out.get_mut(i) {
        match instruction {
            Instruction::Jump(t)
            | Instruction::JumpIfFalse(t)
            | Instruction::JumpIfFalseOrPop(t)
            | Instruction::JumpIfTrueOrPop(t)
            | Instruction::Iterate(t)
            | Instruction::BuildMacro(_, t, _) => *t = moved(*t),
            _ => {}
        }
        i += 1;
    }
    out
}

/// Evaluates template `name` of `env` with `root` as its context, within the limits and what
/// `pass` has left; returns the text it wrote.
pub fn evaluate(env: &Environment<'_>, name: &str, root: Value, pass: &mut Pass) -> Result<String, Stopped> {
    let refused = |limit: Limit| Stopped {
        error: Error::new(ErrorKind::InvalidOperation, limit.sentence()),
        limit: Some(limit),
        operand: None,
    };
    if pass.steps_left == 0 {
        return Err(refused(Limit::PassSteps));
    }
    if pass.work_left == 0 {
        return Err(refused(Limit::PassWork));
    }
    let template = env.get_template(name).map_err(|error| Stopped {
        error,
        limit: None,
        operand: None,
    })?;
    let compiled = machinery::get_compiled_template(&template);
    let instructions = guarded(&compiled.instructions);
    let blocks = compiled.blocks.iter().map(|(k, v)| (*k, guarded(v))).collect();
    let previous = METER.with(|m| {
        m.replace(Some(Meter {
            limit: limits::WORK_PER_TEMPLATE.min(pass.work_left),
            used: 0,
            pass_bound: pass.work_left < limits::WORK_PER_TEMPLATE,
            tripped: None,
            steps: 0,
        }))
    });
    let mut text = String::new();
    let result = {
        let mut out = machinery::make_string_output(&mut text);
        machinery::eval(env, &instructions, root, &blocks, &mut out, AutoEscape::None)
            .map(|(_, state)| state.fuel_levels().map_or(0, |(used, _)| used))
    };
    let meter = METER.with(|m| m.replace(previous));
    let (used, steps_seen, tripped) = meter.map_or((0, 0, None), |m| (m.used, m.steps, m.tripped));
    pass.work_left = pass.work_left.saturating_sub(used);
    match result {
        Ok(steps) => {
            pass.steps_left = pass.steps_left.saturating_sub(steps);
            if text.len() > limits::MAX_OUTPUT {
                return Err(refused(Limit::Output));
            }
            Ok(text)
        }
        Err(error) => {
            let out_of_fuel = error.kind() == ErrorKind::OutOfFuel;
            pass.steps_left = pass.steps_left.saturating_sub(if out_of_fuel {
                limits::STEPS_PER_TEMPLATE
            } else {
                steps_seen
            });
            let (limit, operand) = match tripped {
                Some((limit, operand)) => (Some(limit), operand),
                None if out_of_fuel => (Some(Limit::Steps), None),
                None => (None, None),
            };
            Err(Stopped { error, limit, operand })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Environment<'static> {
        let mut env = Environment::new();
        env.set_fuel(Some(limits::STEPS_PER_TEMPLATE));
        install(&mut env);
        env
    }

    fn run(source: &str, ctx: Value) -> Result<String, Stopped> {
        let mut env = env();
        env.add_template_owned("t", source.to_string()).unwrap();
        evaluate(&env, "t", ctx, &mut Pass::default())
    }

    fn plain(source: &str, ctx: Value) -> String {
        let mut env = Environment::new();
        env.add_template_owned("t", source.to_string()).unwrap();
        env.get_template("t").unwrap().render(ctx).unwrap()
    }

    /// Templates that stay within the limits mean what they meant without them.
    #[test]
    fn guarded_templates_render_as_before() {
        let ctx = minijinja::context! { a => "x", b => vec!["p", "q"], n => 3, m => minijinja::context!{ k => "v" } };
        for source in [
            "{{ a ~ n ~ b }} {{ a + a }} {{ b + b }} {{ a * n }} {{ n * a }} {{ b * 2 }} {{ n + 4 }} {{ n * 2.5 }}",
            "{% for i in range(5) %}{% if i == 3 %}{% continue %}{% endif %}{{ i }}{% if i > 3 %}!{% endif %}{% endfor %}",
            "{% macro m(x) %}[{{ x }}]{% endmacro %}{{ m(a) }}{% for y in b %}{{ m(y) }}{% endfor %}",
            "{% set s %}{{ a }}{{ a }}{% endset %}{{ s|upper }} {{ 'p' in b }} {{ a in 'xyz' }} {{ b[1] }} {{ 'hello'[1:3] }} {{ m['k'] }}",
            "{% for x in [[1,[2]],[3]] recursive %}({% if x is sequence %}{{ loop(x) }}{% else %}{{ x }}{% endif %}){% endfor %}",
            "{{ 1 < n < 5 }} {{ b|join('-') }} {{ '%s-%03d'|format(a, n) }} {{ a|replace('x', 'yz') }} {{ b|map('upper')|list }}",
            "{% set ns = namespace(l=[]) %}{% for i in range(3) %}{% set ns.l = ns.l + [i] %}{% endfor %}{{ ns.l }} {{ a is startingwith 'x' }}",
            "{% filter upper %}quiet {{ a }}{% endfilter %} {{ b|tojson }} {{ b|sum(start='') if false else b|length }}",
        ] {
            let expected = plain(source, ctx.clone());
            let got = run(source, ctx.clone()).unwrap_or_else(|e| panic!("{source}: {}", e.detail()));
            assert_eq!(got, expected, "{source}");
        }
    }

    fn limit_of(source: &str, ctx: Value) -> Option<Limit> {
        match run(source, ctx) {
            Ok(text) => panic!("{source} rendered {} bytes", text.len()),
            Err(stopped) => stopped.limit,
        }
    }

    #[test]
    fn string_bombs_stop_at_the_string_limit() {
        let ctx = minijinja::context! { a => "x" };
        for source in [
            "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
            "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
            "{{ 'ab' * 100000000 }}",
            "{{ '%1000000000s'|format(a) }}",
            "{{ '%.1000000000f'|format(1.5) }}",
            "{{ '%*s'|format(1000000000, a) }}",
            "{% set s = 'a' * 1000 %}{{ s|replace('a', s)|replace('a', s) }}",
            "{% set s = 'a\\n' * 100000 %}{{ s|indent(1000) }}",
            "{% set s = 'x' * 500000 %}{{ [s, s, s]|join('') }}",
            "{% set s = 'x' * 500000 %}{{ [s, s, s]|sum(start='') }}",
        ] {
            assert_eq!(limit_of(source, ctx.clone()), Some(Limit::String), "{source}");
        }
    }

    #[test]
    fn list_bombs_stop_at_the_item_limit() {
        for source in [
            "{% set ns = namespace(l=[1]) %}{% for i in range(40) %}{% set ns.l = ns.l + ns.l %}{% endfor %}",
            "{{ ([1] * 1000000000)|length }}",
            "{{ [1]|batch(1000000000, 0)|list }}",
            "{{ [1]|slice(1000000000)|list }}",
        ] {
            assert_eq!(limit_of(source, Value::UNDEFINED), Some(Limit::Items), "{source}");
        }
    }

    #[test]
    fn writing_comparing_and_looping_are_bounded() {
        // Text written into a {% set %} block in a loop.
        let capture = format!(
            "{{% set x %}}{{% for i in range(100000) %}}{{% for j in range(100) %}}{}{{% endfor %}}{{% endfor %}}{{% endset %}}",
            "a".repeat(200)
        );
        assert!(matches!(
            limit_of(&capture, Value::UNDEFINED),
            Some(Limit::Work | Limit::Steps)
        ));
        // Comparing a long string again and again.
        let compare = "{% set s = 'x' * 1000000 %}{% for i in range(100000) %}{% if s == s %}{% endif %}{% endfor %}";
        assert_eq!(limit_of(compare, Value::UNDEFINED), Some(Limit::Work));
        // Indexing deep into a long string again and again.
        let index = "{% set s = 'x' * 1000000 %}{% for i in range(100000) %}{{ s[999999] }}{% endfor %}";
        assert_eq!(limit_of(index, Value::UNDEFINED), Some(Limit::Work));
        // A loop that builds nothing runs out of steps.
        let spin = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}";
        assert_eq!(limit_of(spin, Value::UNDEFINED), Some(Limit::Steps));
    }

    #[test]
    fn a_pass_shares_one_budget() {
        let mut env = env();
        env.add_template(
            "spin",
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        )
        .unwrap();
        env.add_template("small", "ok").unwrap();
        let mut pass = Pass::default();
        let mut stopped = Vec::new();
        for _ in 0..4 {
            stopped.push(
                evaluate(&env, "spin", Value::UNDEFINED, &mut pass)
                    .err()
                    .and_then(|s| s.limit),
            );
        }
        assert_eq!(stopped[0], Some(Limit::Steps));
        assert_eq!(stopped.last().copied().flatten(), Some(Limit::PassSteps), "{stopped:?}");
        let after = evaluate(&env, "small", Value::UNDEFINED, &mut pass);
        assert_eq!(after.err().and_then(|s| s.limit), Some(Limit::PassSteps));
    }

    #[test]
    fn the_operand_that_was_too_large_is_kept() {
        let big = "y".repeat(700_000);
        let ctx = minijinja::context! { notes => big.clone() };
        let stopped = run("{{ notes ~ notes }}", ctx).unwrap_err();
        assert_eq!(stopped.limit, Some(Limit::String));
        assert_eq!(stopped.operand.as_ref().and_then(Value::as_str), Some(big.as_str()));
    }
}
