#pragma once
#include <histedit.h>

/// Opens an editor bound to the standard streams, with history, Emacs keys and Tab completion of `words`.
EditLine *gl_el_init(const char *program, History **out);
/// Sets the prompt text; bytes between two `\1` (colour escapes) take no room on the screen.
void gl_el_set_prompt(const char *prompt);
/// The words Tab completes (copied).
void gl_el_set_completions(const char *const *words, int count);
/// Asked for the words when Tab is pressed, with the line up to the cursor; it answers with `gl_el_set_completions`.
typedef void (*gl_completion_source)(const char *line, void *context);
/// Sets what Tab asks for its words, and the context it is given.
void gl_el_set_completion_source(gl_completion_source source, void *context);
/// The width of the terminal on standard output, in columns; 0 when it is not a terminal.
int gl_terminal_columns(void);
/// Catches Ctrl-C while a line is read: it abandons the line instead of ending the process.
void gl_catch_interrupts(void);
/// Restores the previous Ctrl-C handling; returns whether Ctrl-C was pressed meanwhile.
int gl_release_interrupts(void);
/// Adds a line to the history.
void gl_history_enter(History *history, const char *line);
/// Loads and saves history files.
void gl_history_load(History *history, const char *path);
void gl_history_save(History *history, const char *path);
