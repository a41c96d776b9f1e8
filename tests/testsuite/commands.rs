//! The command line itself: commands listed in the order a user meets
//! them, and completion scripts for the usual shells.

use crate::harness::TestSite;

#[test]
fn help_lists_the_commands_in_the_order_a_user_meets_them() {
    let site = TestSite::empty();
    let run = site.run(&["--help"]);
    run.assert_success();
    let commands: Vec<&str> = run
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        commands,
        [
            "init",
            "new",
            "import-git",
            "build",
            "check",
            "serve",
            "watch",
            "diff",
            "lock",
            "archive",
            "deploy",
            "verify",
            "completions",
            "help"
        ]
    );
}

#[test]
fn completion_scripts_know_every_command() {
    let site = TestSite::empty();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let run = site.run(&["completions", shell]);
        run.assert_success();
        for command in ["init", "new", "deploy", "verify", "diff"] {
            assert!(run.stdout.contains(command), "{shell}: {command}");
        }
    }
    let run = site.run(&["completions", "tcsh"]);
    run.assert_code(2);
}
