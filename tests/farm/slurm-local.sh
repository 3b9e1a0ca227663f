#!/bin/sh
# A single-node Slurm on this machine, for the farm tests and bench/farm.py.
#
#   tests/farm/slurm-local.sh start [DIR]   writes DIR/slurm.conf, starts munged
#                                           (unless one answers already),
#                                           slurmctld and slurmd; prints
#                                           "export SLURM_CONF=DIR/slurm.conf"
#   tests/farm/slurm-local.sh stop [DIR]    stops what start started, by the
#                                           PIDs in DIR's pid files
#
# DIR defaults to $NETCOOK_SLURM_DIR or /tmp/netcook-slurm. Needs root and
# Debian's slurm-wlm and munge (make test-deps). No systemd: the daemons are
# started directly, which also works in a plain chroot. Ports: 6817/6818, or
# NETCOOK_SLURM_PORT and the one after it.
# Exit status: 0 ready (or stopped), 1 failed (the daemons' logs are in DIR),
# 3 this machine cannot run Slurm (not root, packages missing, no cgroup
# filesystem); the message
# says why.
set -u

action=${1:-}
dir=${2:-${NETCOOK_SLURM_DIR:-/tmp/netcook-slurm}}
port=${NETCOOK_SLURM_PORT:-6817}

say() { echo "slurm-local: $*" >&2; }

pid_alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

stop_pidfile() {
    [ -f "$1" ] || return 0
    pid=$(cat "$1" 2>/dev/null)
    if pid_alive "$pid"; then
        kill "$pid" 2>/dev/null
        i=0
        while pid_alive "$pid" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
        pid_alive "$pid" && kill -9 "$pid" 2>/dev/null
    fi
    rm -f "$1"
}

munge_answers() { munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; }

start() {
    if [ "$(id -u)" != 0 ]; then say "needs root (slurmd runs jobs as their users)"; exit 3; fi
    for tool in munged munge slurmctld slurmd sbatch scontrol; do
        command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] ||
            { say "$tool is missing: install slurm-wlm and munge (make test-deps)"; exit 3; }
    done
    # slurmd (22.05) initialises its cgroup plugin even with
    # proctrack/linuxproc and task/none, and gives up without a cgroup
    # filesystem (a plain chroot bind-mounts /sys without its submounts).
    grep -qE '^[^ ]+ [^ ]+ cgroup2? ' /proc/self/mounts 2>/dev/null ||
        { say "no cgroup filesystem is mounted (under /sys/fs/cgroup): slurmd cannot start here"; exit 3; }
    PATH=$PATH:/usr/sbin
    mkdir -p "$dir/state" "$dir/spool" || exit 1
    export SLURM_CONF="$dir/slurm.conf"
    if [ -f "$dir/slurmctld.pid" ] && pid_alive "$(cat "$dir/slurmctld.pid")" &&
       scontrol ping 2>/dev/null | grep -q UP; then
        say "already running in $dir"
        echo "export SLURM_CONF=$SLURM_CONF"
        return 0
    fi

    # munged refuses to run as root ("Logfile is insecure"): it runs as the
    # munge user, its socket in /run/munge owned by that user.
    if ! munge_answers; then
        mkdir -p /run/munge /var/log/munge /var/lib/munge
        chown munge:munge /run/munge /var/log/munge /var/lib/munge
        chmod 0755 /run/munge
        if [ ! -s /etc/munge/munge.key ]; then
            mkdir -p /etc/munge
            mungekey --create --keyfile /etc/munge/munge.key >/dev/null 2>&1 ||
                dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 2>/dev/null
            chown munge:munge /etc/munge /etc/munge/munge.key
            chmod 0700 /etc/munge
            chmod 0400 /etc/munge/munge.key
        fi
        runuser -u munge -- munged --pid-file=/run/munge/munged.pid || { say "munged did not start"; exit 1; }
        cp /run/munge/munged.pid "$dir/munged.pid"
        i=0
        while ! munge_answers && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
        munge_answers || { say "munged does not answer"; exit 1; }
    fi

    # Addresses given as 127.0.0.1: a chroot's /etc/hosts may not name the host.
    node="$(slurmd -C | head -n 1) NodeAddr=127.0.0.1"
    host=$(hostname -s)
    cat > "$SLURM_CONF" <<CONF
# Written by tests/farm/slurm-local.sh: a single-node cluster for tests.
ClusterName=netcook-local
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
ReturnToService=2
MpiDefault=none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MinJobAge=600
$node
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
    # -c: a clean start, no jobs from an earlier run.
    slurmctld -c || { say "slurmctld did not start (see $dir/slurmctld.log)"; exit 1; }
    slurmd -c || { say "slurmd did not start (see $dir/slurmd.log)"; exit 1; }
    i=0
    while [ $i -lt 100 ]; do
        state=$(sinfo -h -o %T 2>/dev/null | head -n 1)
        case "$state" in idle*|mix*|alloc*) break ;; esac
        sleep 0.1
        i=$((i + 1))
    done
    case "$state" in
        idle*|mix*|alloc*) ;;
        *) say "the node did not come up (state '$state'; see $dir/slurmctld.log and slurmd.log)"; exit 1 ;;
    esac
    say "ready in $dir (node $host: $state)"
    echo "export SLURM_CONF=$SLURM_CONF"
}

stop() {
    stop_pidfile "$dir/slurmd.pid"
    stop_pidfile "$dir/slurmctld.pid"
    # munged only when this script started it.
    stop_pidfile "$dir/munged.pid"
    say "stopped ($dir)"
}

case "$action" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop [DIR]" >&2; exit 2 ;;
esac
