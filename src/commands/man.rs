//! `popdelta man`: the man page, in roff: the program's, with every subcommand's options;
//! or one subcommand's page.

use std::io::Write;

use clap::CommandFactory;

use super::to_stdout;
use crate::cli::Cli;

/// Prints the man page of the program, or of one subcommand.
pub fn run(subcommand: Option<&str>) -> anyhow::Result<u8> {
    let cli = Cli::command();
    if let Some(name) = subcommand {
        let Some(sub) = cli.find_subcommand(name) else {
            let names: Vec<&str> = cli.get_subcommands().map(|s| s.get_name()).collect();
            return Err(popdelta::Error::Usage(format!(
                "no subcommand {name:?}; man pages: {}",
                names.join(", ")
            ))
            .into());
        };
        let sub = sub.clone().bin_name(format!("popdelta {name}"));
        let man = clap_mangen::Man::new(sub)
            .title(format!("popdelta-{name}"))
            .source(format!("popdelta {}", env!("CARGO_PKG_VERSION")));
        let mut page = Vec::new();
        man.render(&mut page)?;
        // The page is named as it is installed (popdelta-compare), not by the bare
        // subcommand.
        let page = String::from_utf8_lossy(&page).replacen(
            &format!(".SH NAME\n{name} \\-"),
            &format!(".SH NAME\npopdelta\\-{name} \\-"),
            1,
        );
        return to_stdout(|out| Ok(out.write_all(page.as_bytes())?));
    }
    to_stdout(|out| {
        let man = clap_mangen::Man::new(cli.clone());
        man.render_title(out)?;
        man.render_name_section(out)?;
        man.render_synopsis_section(out)?;
        man.render_description_section(out)?;
        man.render_options_section(out)?;
        man.render_subcommands_section(out)?;
        // Each subcommand's synopsis and options under its own heading.
        for sub in cli.get_subcommands() {
            let name = sub.get_name();
            let page = clap_mangen::Man::new(sub.clone().bin_name(format!("popdelta {name}")));
            let mut section = Vec::new();
            page.render_synopsis_section(&mut section)?;
            page.render_options_section(&mut section)?;
            page.render_extra_section(&mut section)?;
            let text = String::from_utf8_lossy(&section)
                .replace(".SH SYNOPSIS", ".SS Synopsis")
                .replace(".SH OPTIONS", ".SS Options")
                .replace(".SH EXTRA", ".SS Examples");
            writeln!(out, ".SH \"POPDELTA {}\"", name.to_uppercase())?;
            if let Some(about) = sub.get_about() {
                writeln!(out, "{about}")?;
            }
            out.write_all(text.as_bytes())?;
        }
        man.render_extra_section(out)?;
        man.render_version_section(out)?;
        Ok(())
    })
}
