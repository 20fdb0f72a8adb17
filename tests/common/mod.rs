//! Helpers shared by the integration tests.

use assert_cmd::Command;

/// The popdelta binary, with no colour or terminal surprises from the environment.
pub fn popdelta() -> Command {
    let mut cmd = Command::cargo_bin("popdelta").expect("binary builds");
    cmd.env_remove("NO_COLOR").env_remove("RUST_BACKTRACE");
    cmd
}
