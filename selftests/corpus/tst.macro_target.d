BEGIN
{
	printf("%d\n", $target > 0);
}

syscall::exit_group:entry
/pid == $target/
{
	printf("exit_group(%d)\n", arg0);
}
