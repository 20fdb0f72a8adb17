//! The panic hook both targets install once.

/// The workbook parser's panics are caught and refused, as the binary does: only the
/// others are crashes (libfuzzer-sys's hook would abort on any).
pub fn quiet_workbook_panics() {
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| {
        let abort = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !popdelta::load::formats::workbook::guarded() {
                abort(info);
            }
        }));
    });
}
