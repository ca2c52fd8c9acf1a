/* run-corpus.c: runs a fuzz target over files and directories without libFuzzer, so the
 * seed corpus and every crash kept from fuzzing run in the ordinary test suite. */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static guint
run_path(const char *path)
{
    if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
        g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
        guint n = 0;
        const char *name;
        while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
            g_autofree char *child = g_build_filename(path, name, NULL);
            n += run_path(child);
        }
        return n;
    }
    g_autofree char *data = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &data, &len, NULL)) {
        fprintf(stderr, "run-corpus: cannot read %s\n", path);
        return 0;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)data, len);
    return 1;
}

int
main(int argc, char **argv)
{
    guint n = 0;
    for (int i = 1; i < argc; i++)
        n += run_path(argv[i]);
    printf("1..1\nok 1 - %u inputs ran without a crash\n", n);
    return n > 0 ? 0 : 1;
}
