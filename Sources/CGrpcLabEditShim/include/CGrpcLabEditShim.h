#pragma once
#include <histedit.h>

/// Opens an editor bound to the standard streams, with history, Emacs keys and Tab completion of `words`.
EditLine *gl_el_init(const char *program, History **out);
/// Sets the prompt text.
void gl_el_set_prompt(const char *prompt);
/// The words Tab completes (copied).
void gl_el_set_completions(const char *const *words, int count);
/// Whether Ctrl-C was pressed since the last call (the editor then abandons the line); clears the flag.
int gl_take_interrupt(void);
/// Adds a line to the history.
void gl_history_enter(History *history, const char *line);
/// Loads and saves history files.
void gl_history_load(History *history, const char *path);
void gl_history_save(History *history, const char *path);
