syscall::read:entry
/execname/
{
}
