//! Where a question stands, given the answers: hidden, answered (an explicit "none"
//! included), standing on a default nobody confirmed yet, assumed, invalid or open.
use crate::core::answer::Answer;
use crate::core::questionnaire::Question;
use crate::core::session::{Answers, given_answer};

/// Where a question stands, given the answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuestionState {
    /// Its `when` is false: not asked, and its answer (if any) stays out of the document.
    Hidden {
        has_answer: bool,
    },
    /// Answered by the user (an explicit "none" included), with an answer that fits.
    Answered,
    /// Not answered: the question's `default` stands in, and nobody has confirmed it yet (it
    /// is not in the answers file, and the interview has not moved through the question).
    Defaulted,
    /// Answered, but the answer breaks the question's constraints.
    Invalid(Vec<String>),
    /// Open, and a labelled assumption stands in for it (or the user marked it so).
    Assumed,
    Open {
        required: bool,
    },
}

impl QuestionState {
    /// The name templates see through `state("id")`, given whether the answer is "none".
    pub fn name(&self, none: bool) -> &'static str {
        match self {
            QuestionState::Hidden { .. } => "hidden",
            QuestionState::Answered if none => "none",
            QuestionState::Answered => "answered",
            QuestionState::Defaulted => "default",
            QuestionState::Invalid(_) => "invalid",
            QuestionState::Assumed => "assumed",
            QuestionState::Open { .. } => "open",
        }
    }
}

/// The state of `question` given the answers and whether its condition shows it.
pub fn state_of(question: &Question, answers: &Answers, visible: bool) -> QuestionState {
    if !visible {
        return QuestionState::Hidden {
            has_answer: given_answer(question, answers).is_some(),
        };
    }
    match given_answer(question, answers) {
        Some(Answer::Assumption { .. }) => QuestionState::Assumed,
        Some(a) => {
            let problems = a.violations(question);
            if problems.is_empty() {
                QuestionState::Answered
            } else {
                QuestionState::Invalid(problems)
            }
        }
        None if question.default.is_some() => QuestionState::Defaulted,
        None if question.assume.is_some() => QuestionState::Assumed,
        None => QuestionState::Open {
            required: question.required,
        },
    }
}
