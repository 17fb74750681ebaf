//! How much of a questionnaire is decided: per section, the questions answered, left on a
//! default nobody confirmed, assumed and still open. One function computes it for the
//! documents' coverage table and the interview's finish line, so both always show the same
//! figures.
use serde::Serialize;

use crate::core::questionnaire::Questionnaire;
use crate::core::state::QuestionState;

/// The figures of one questionnaire section. Hidden questions (their `when` is false) count
/// nowhere: they are not asked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SectionCoverage {
    /// The questionnaire section's id and title.
    pub section: String,
    pub title: String,
    /// The document the section feeds.
    pub document: String,
    /// Answered with a valid answer (an explicit "none" included).
    pub answered: usize,
    /// Standing on the question's default, which nobody has confirmed yet.
    pub defaulted: usize,
    /// Left to a labelled assumption (the user's or the questionnaire's).
    pub assumed: usize,
    /// Not answered and not assumed, plus answers that break their constraints.
    pub open: usize,
    /// Of `open`, the required ones.
    pub required_open: usize,
}

impl SectionCoverage {
    /// Questions asked in this section.
    pub fn asked(&self) -> usize {
        self.answered + self.defaulted + self.assumed + self.open
    }
}

/// The coverage of every section of `questionnaire` that asks at least one question, in
/// questionnaire order, from the question states `Engine::states` gives.
pub fn coverage(questionnaire: &Questionnaire, states: &[(String, QuestionState)]) -> Vec<SectionCoverage> {
    let state_of = |id: &str| states.iter().find(|(q, _)| q == id).map(|(_, s)| s);
    questionnaire
        .sections
        .iter()
        .map(|section| {
            let mut row = SectionCoverage {
                section: section.id.clone(),
                title: section.title.clone(),
                document: section.document.clone(),
                ..SectionCoverage::default()
            };
            for q in &section.questions {
                match state_of(&q.id) {
                    Some(QuestionState::Hidden { .. }) => {}
                    Some(QuestionState::Answered) => row.answered += 1,
                    Some(QuestionState::Defaulted) => row.defaulted += 1,
                    Some(QuestionState::Assumed) => row.assumed += 1,
                    Some(QuestionState::Invalid(_) | QuestionState::Open { .. }) | None => {
                        row.open += 1;
                        row.required_open += usize::from(q.required);
                    }
                }
            }
            row
        })
        .filter(|row| row.asked() > 0)
        .collect()
}

/// The sum of several sections' figures (the `section` and `title` are left empty).
pub fn total(rows: &[SectionCoverage]) -> SectionCoverage {
    rows.iter().fold(SectionCoverage::default(), |mut sum, r| {
        sum.answered += r.answered;
        sum.defaulted += r.defaulted;
        sum.assumed += r.assumed;
        sum.open += r.open;
        sum.required_open += r.required_open;
        sum
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::questionnaire::{BUILTIN, parse};
    use std::path::Path;

    fn d04() -> Questionnaire {
        let (name, text) = BUILTIN.iter().find(|(name, _)| name.contains("d04")).copied().unwrap();
        parse(Path::new(name), text).unwrap()
    }

    #[test]
    fn counts_each_state_in_its_section_and_skips_hidden_questions() {
        let q = d04();
        let first = &q.sections[0];
        let ids: Vec<&str> = first.questions.iter().map(|q| q.id.as_str()).collect();
        assert!(ids.len() >= 4, "the first section has at least four questions");
        let mut states: Vec<(String, QuestionState)> = q
            .questions()
            .map(|q| (q.id.clone(), QuestionState::Open { required: q.required }))
            .collect();
        let set = |states: &mut Vec<(String, QuestionState)>, id: &str, s: QuestionState| {
            states.iter_mut().find(|(q, _)| q == id).unwrap().1 = s;
        };
        set(&mut states, ids[0], QuestionState::Answered);
        set(&mut states, ids[1], QuestionState::Assumed);
        set(&mut states, ids[2], QuestionState::Hidden { has_answer: true });
        set(&mut states, ids[3], QuestionState::Defaulted);
        let rows = coverage(&q, &states);
        let row = rows.iter().find(|r| r.section == first.id).unwrap();
        assert_eq!(row.answered, 1);
        assert_eq!(row.assumed, 1);
        assert_eq!(row.defaulted, 1);
        assert_eq!(row.open, first.questions.len() - 4);
        let sum = total(&rows);
        assert_eq!(sum.asked(), q.questions().count() - 1);
    }

    #[test]
    fn a_section_whose_questions_are_all_hidden_is_left_out() {
        let q = d04();
        let states: Vec<(String, QuestionState)> = q
            .questions()
            .map(|q| (q.id.clone(), QuestionState::Hidden { has_answer: false }))
            .collect();
        assert!(coverage(&q, &states).is_empty());
    }
}
