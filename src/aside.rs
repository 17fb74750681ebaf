//! Work started on a second thread while the caller goes on: the steps before a first frame
//! that do not depend on each other (the machines the program runs on have two cores or more).

/// Starts `work` on a thread of its own; the function returned waits for its result (and does
/// the work in place should the thread not start). A panic in the work is the caller's panic.
pub fn aside<T: Send + 'static>(work: impl FnOnce() -> T + Send + Clone + 'static) -> impl FnOnce() -> T {
    let thread = std::thread::Builder::new().name("aside".into()).spawn(work.clone());
    move || match thread {
        Ok(thread) => thread.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        Err(_) => work(),
    }
}

#[cfg(test)]
mod tests {
    use super::aside;

    #[test]
    fn the_result_is_the_work_done_on_another_thread() {
        let caller = std::thread::current().id();
        let done = aside(move || (6 * 7, std::thread::current().id() != caller));
        assert_eq!(done(), (42, true));
    }
}
