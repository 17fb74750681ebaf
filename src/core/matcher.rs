//! Matching typed text against a list: one ranking for the choice lists and every picker. A
//! candidate has several fields, most telling first; the best match ranks first: an earlier field
//! before a later one, then an exact match (ignoring case), a prefix, and the rest by nucleo's
//! fuzzy score. The matched characters come back for highlighting.
use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// A text a candidate can be found by.
#[derive(Debug, Clone, Copy)]
pub struct Field<'a> {
    pub text: &'a str,
    /// Letters may match apart (`pgn` finds "Pagination"), as in a name; otherwise every word
    /// typed must appear as it is, which suits long text such as help or an answer.
    pub fuzzy: bool,
}

impl<'a> Field<'a> {
    /// A name-like field, matched fuzzily.
    pub fn name(text: &'a str) -> Field<'a> {
        Field { text, fuzzy: true }
    }

    /// A long text, matched by the words typed.
    pub fn words(text: &'a str) -> Field<'a> {
        Field { text, fuzzy: false }
    }
}

/// A candidate that matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index of the candidate in the list given.
    pub index: usize,
    /// The field that matched best.
    pub field: usize,
    /// Character positions in that field that matched, in order (empty for an empty query).
    pub positions: Vec<usize>,
}

/// Orders hits: the field that matched, exact / prefix / other, then the score, highest first.
type Rank = (usize, u8, std::cmp::Reverse<u32>);

/// The candidates matching `query`, best first. An empty query matches everything, in order.
pub fn rank(query: &str, candidates: &[Vec<Field<'_>>]) -> Vec<Hit> {
    let query = query.trim();
    if query.is_empty() {
        return (0..candidates.len())
            .map(|index| Hit {
                index,
                field: 0,
                positions: Vec::new(),
            })
            .collect();
    }
    let lower = query.to_lowercase();
    let fuzzy = Pattern::new(query, CaseMatching::Ignore, Normalization::Smart, AtomKind::Fuzzy);
    let words = Pattern::new(query, CaseMatching::Ignore, Normalization::Smart, AtomKind::Substring);
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut buf = Vec::new();
    let mut indices = Vec::new();
    let mut hits: Vec<(Rank, Hit)> = Vec::new();
    for (index, fields) in candidates.iter().enumerate() {
        for (f, field) in fields.iter().enumerate() {
            let pattern = if field.fuzzy { &fuzzy } else { &words };
            indices.clear();
            let Some(score) = pattern.indices(Utf32Str::new(field.text, &mut buf), &mut matcher, &mut indices) else {
                continue;
            };
            let text = field.text.to_lowercase();
            let class = if text == lower {
                0
            } else if text.starts_with(&lower) {
                1
            } else {
                2
            };
            indices.sort_unstable();
            indices.dedup();
            let positions = indices.iter().filter_map(|i| usize::try_from(*i).ok()).collect();
            hits.push((
                (f, class, std::cmp::Reverse(score)),
                Hit {
                    index,
                    field: f,
                    positions,
                },
            ));
            break;
        }
    }
    // A stable sort: equal matches keep the list's order.
    hits.sort_by_key(|(key, _)| *key);
    hits.into_iter().map(|(_, hit)| hit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(query: &str, list: &[&str]) -> Vec<String> {
        let candidates: Vec<Vec<Field>> = list.iter().map(|s| vec![Field::name(s)]).collect();
        rank(query, &candidates)
            .into_iter()
            .map(|h| list[h.index].to_string())
            .collect()
    }

    #[test]
    fn exact_then_prefix_then_fuzzy() {
        assert_eq!(
            names("rest", &["gRPC", "GraphQL", "REST", "tRPC", "rest-ish", "r e s t"]),
            ["REST", "rest-ish", "r e s t"]
        );
        assert_eq!(names("gql", &["REST", "GraphQL"]), ["GraphQL"]);
        assert_eq!(names("  ", &["b", "a"]), ["b", "a"], "an empty query keeps the order");
        assert!(names("zzz", &["REST"]).is_empty());
    }

    #[test]
    fn an_earlier_field_ranks_first_and_long_text_needs_the_words() {
        let candidates = vec![
            vec![Field::name("Pagination"), Field::words("How pages are cut.")],
            vec![
                Field::name("Errors"),
                Field::words("The error envelope with pagination hints."),
            ],
            vec![Field::name("Rate limits"), Field::words("p a g i n a t i o n")],
        ];
        let hits = rank("pagination", &candidates);
        assert_eq!(
            hits.iter().map(|h| (h.index, h.field)).collect::<Vec<_>>(),
            [(0, 0), (1, 1)]
        );
        assert_eq!(hits[0].positions, (0..10).collect::<Vec<_>>());
        let hits = rank("error hints", &candidates);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].index, 1);
    }

    #[test]
    fn matched_characters_are_given_for_highlighting() {
        let hits = rank("pgn", &[vec![Field::name("Pagination")]]);
        assert_eq!(hits[0].positions, [0, 2, 4]);
        let hits = rank("!x", &[vec![Field::name("a !x b")]]);
        assert_eq!(hits.len(), 1, "typed text is taken as it is, not as search syntax");
    }
}
