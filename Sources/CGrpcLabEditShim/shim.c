#include "CGrpcLabEditShim.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static char prompt_text[256] = "> ";
static char **completion_words = NULL;
static int completion_count = 0;

static volatile sig_atomic_t interrupted = 0;
static gl_completion_source completion_source = NULL;
static void *completion_context = NULL;

static char *prompt(EditLine *el) { (void)el; return prompt_text; }

static void on_interrupt(int signo) { (void)signo; interrupted = 1; }

static struct sigaction previous_interrupt;

static unsigned char complete(EditLine *el, int ch) {
  (void)ch;
  const LineInfo *info = el_line(el);
  if (completion_source != NULL) {
    char *before = strndup(info->buffer, (size_t)(info->cursor - info->buffer));
    if (before == NULL) return CC_ERROR;
    completion_source(before, completion_context);
    free(before);
  }
  const char *start = info->cursor;
  while (start > info->buffer && start[-1] != ' ' && start[-1] != '|') start--;
  size_t length = (size_t)(info->cursor - start);
  const char *match = NULL;
  size_t common = 0;
  int matches = 0;
  for (int i = 0; i < completion_count; i++) {
    if (strncmp(completion_words[i], start, length) != 0) continue;
    if (matches == 0) {
      match = completion_words[i];
      common = strlen(match);
    } else {
      size_t shared = length;
      while (shared < common && match[shared] == completion_words[i][shared]) shared++;
      while (shared > length && ((unsigned char)match[shared] & 0xC0) == 0x80) shared--;
      common = shared;
    }
    matches++;
  }
  if (matches == 0) return CC_REFRESH_BEEP;
  if (matches > 1) {
    FILE *out = stdout;
    fputc('\n', out);
    int shown = 0;
    for (int i = 0; i < completion_count && shown < 60; i++) {
      if (strncmp(completion_words[i], start, length) != 0) continue;
      fprintf(out, "%s%s", shown > 0 ? "  " : "", completion_words[i]);
      shown++;
    }
    if (matches > shown) fprintf(out, "  … (%d more)", matches - shown);
    fputc('\n', out);
  }
  char *insert = strndup(match + length, common - length);
  if (insert == NULL) return CC_ERROR;
  int folder = common > 0 && match[common - 1] == '/';
  int failed = el_insertstr(el, insert) == -1 || (matches == 1 && !folder && el_insertstr(el, " ") == -1);
  free(insert);
  if (failed) return CC_ERROR;
  return matches > 1 ? CC_REDISPLAY : CC_REFRESH;
}

EditLine *gl_el_init(const char *program, History **out) {
  EditLine *el = el_init(program, stdin, stdout, stderr);
  HistEvent event;
  History *h = history_init();
  *out = h;
  history(h, &event, H_SETSIZE, 1000);
  history(h, &event, H_SETUNIQUE, 1);
  el_set(el, EL_PROMPT_ESC, prompt, '\1');
  el_set(el, EL_EDITOR, "emacs");
  el_set(el, EL_HIST, history, h);
  el_set(el, EL_SIGNAL, 1);
  el_set(el, EL_ADDFN, "gl-complete", "Complete a word", complete);
  el_set(el, EL_BIND, "^I", "gl-complete", NULL);
  el_source(el, NULL);
  return el;
}

void gl_el_set_prompt(const char *text) {
  strncpy(prompt_text, text, sizeof prompt_text - 1);
  prompt_text[sizeof prompt_text - 1] = '\0';
}

void gl_el_set_completions(const char *const *words, int count) {
  for (int i = 0; i < completion_count; i++) free(completion_words[i]);
  free(completion_words);
  completion_words = calloc((size_t)count, sizeof(char *));
  completion_count = completion_words ? count : 0;
  for (int i = 0; i < completion_count; i++) {
    completion_words[i] = strdup(words[i]);
    if (completion_words[i] == NULL) {
      completion_count = i;
      break;
    }
  }
}

void gl_el_set_completion_source(gl_completion_source source, void *context) {
  completion_source = source;
  completion_context = context;
}

int gl_terminal_columns(void) {
  struct winsize size;
  if (!isatty(STDOUT_FILENO) || ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0) return 0;
  return size.ws_col;
}

void gl_catch_interrupts(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  interrupted = 0;
  sigaction(SIGINT, &action, &previous_interrupt);
}

int gl_release_interrupts(void) {
  sigaction(SIGINT, &previous_interrupt, NULL);
  int was = interrupted;
  interrupted = 0;
  return was;
}

void gl_history_enter(History *h, const char *line) { HistEvent event; history(h, &event, H_ENTER, line); }
void gl_history_load(History *h, const char *path) { HistEvent event; history(h, &event, H_LOAD, path); }
void gl_history_save(History *h, const char *path) { HistEvent event; history(h, &event, H_SAVE, path); }
