//! Proposals from earlier documents in `.specflow/docs/`.
