#pragma once
#include <histedit.h>

/// Opens an editor bound to the standard streams, with history, Emacs keys and Tab completion of `words`.
EditLine *gl_el_init(const char *program, History **out);
/// Sets the prompt text; bytes between two `\1` (colour escapes) take no room on the screen.
void gl_el_set_prompt(const char *prompt);
/// The words Tab completes (copied).
void gl_el_set_completions(const char *const *words, int count);
/// Catches Ctrl-C while a line is read: it abandons the line instead of ending the process.
void gl_catch_interrupts(void);
/// Restores the previous Ctrl-C handling; returns whether Ctrl-C was pressed meanwhile.
int gl_release_interrupts(void);
/// Adds a line to the history.
void gl_history_enter(History *history, const char *line);
/// Loads and saves history files.
void gl_history_load(History *history, const char *path);
void gl_history_save(History *history, const char *path);
