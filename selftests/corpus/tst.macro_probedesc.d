syscall::$1:entry
/pid == $target/
{
	printf("%s:%s\n", probefunc, probename);
}
