#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define S(x) #x
#define CAT(a, b) a ## b
#define LOG(fmt, ...) printf(fmt "\n", ## __VA_ARGS__)
#if defined(__ktrace) && (1 << 2) == 4
syscall::read:entry /pid == $target/ { CAT(@, n)[S(read)] = max(MAX(arg2, 1)); LOG("%d", __LINE__); }
#elif 0
#error no
#else
#endif
