import json
T="2024-08-01T12:00:00.123456789Z"
def cred(uid=0,gid=0,user="root",group="root",auid=4294967295):
    return {"uid":uid,"user":user,"gid":gid,"group":group,"euid":uid,"euser":user,"egid":gid,"egroup":group,"fsuid":uid,"fsuser":user,"fsgid":gid,"fsgroup":group,"auid":auid,"cap_effective":["CAP_CHOWN"] if uid==0 else [],"cap_permitted":["CAP_CHOWN"] if uid==0 else []}
def f(path,inode,uid=0,gid=0,mode=33261):
    return {"path":path,"name":path.rsplit('/',1)[-1],"inode":inode,"mode":mode,"mount_id":31,"filesystem":"ext4","uid":uid,"gid":gid,"user":"root" if uid==0 else "www-data","group":"root" if gid==0 else "www-data","modification_time":"2024-06-10T08:15:00Z","change_time":"2024-06-10T08:15:00+02:00"}
def proc(pid,ppid,path,args,uid=0,gid=0,comm=None,ino=1001):
    p={"pid":pid,"ppid":ppid,"tid":pid,"uid":uid,"gid":gid,"user":"root" if uid==0 else "www-data","group":"root" if gid==0 else "www-data","comm":comm or path.rsplit('/',1)[-1],"tty":"","fork_time":"2024-08-01T11:59:59.5Z","exec_time":"2024-08-01T11:59:59.6Z","credentials":cred(uid,gid,"root" if uid==0 else "www-data","root" if gid==0 else "www-data"),"executable":f(path,ino,0,0),"container":{"id":"8f3c1e2d"},"argv0":args[0],"args":args[1:],"args_truncated":False,"envs":["PATH","HOME"],"envs_truncated":False}
    return p
def agent(rule):
    return {"rule_id":rule,"rule_version":"1","policy_name":"default","policy_version":"2024.08","version":"7.56.0","os":"linux","arch":"x86_64","origin":"ebpf"}
nginx=proc(4100,1,"/usr/sbin/nginx",["nginx","-g","daemon off;"],33,33,ino=2001)
sh=proc(4242,4100,"/bin/sh",["sh","-c","id"],33,33,ino=2002)
events=[]
# 1 exec: shell spawned by nginx, uid 33
e={"agent":agent("shell_spawned_by_web_server"),"title":"A shell was spawned by a web server","evt":{"name":"exec","category":"Process Activity","outcome":"Success","async":False},"date":T,
   "file":f("/bin/sh",2002),"process":dict(sh,parent=nginx,ancestors=[nginx,proc(1,0,"/sbin/init",["/sbin/init"],ino=3)]),"container":{"id":"8f3c1e2d","created_at":"2024-08-01T10:00:00Z"}}
events.append(e)
# 2 exec: root runs curl, non-ASCII arg
root_bash=proc(900,1,"/bin/bash",["bash"],comm="bash",ino=2100)
curl=proc(4300,900,"/usr/bin/curl",["curl","-s","http://169.254.169.254/latest/meta-data/","-H","X-Note: café ☕"],ino=2200)
events.append({"agent":agent("curl_metadata"),"title":"curl queried the metadata service","evt":{"name":"exec","category":"Process Activity","outcome":"Success"},"date":T,"file":f("/usr/bin/curl",2200),"process":dict(curl,parent=root_bash,ancestors=[root_bash,proc(1,0,"/sbin/init",["/sbin/init"],ino=3)])})
# 3 open /etc/shadow by root
cat=proc(4400,900,"/usr/bin/cat",["cat","/etc/shadow"],ino=2300)
events.append({"agent":agent("sensitive_file_read"),"title":"/etc/shadow was opened","evt":{"name":"open","category":"File Activity","outcome":"Success"},"date":T,"file":dict(f("/etc/shadow",5001,0,42,33184),flags=["O_RDONLY"]),"syscall":{"open":{"path":"/etc/shadow","flags":0,"mode":0}},"process":dict(cat,parent=root_bash,ancestors=[root_bash])})
# 4 open by www-data refused
events.append({"agent":agent("sensitive_file_read"),"title":"/etc/shadow open refused","evt":{"name":"open","category":"File Activity","outcome":"Refused"},"date":T,"file":dict(f("/etc/shadow",5001,0,42,33184),flags=["O_RDONLY"]),"process":dict(sh,parent=nginx,ancestors=[nginx])})
# 5 dns
events.append({"agent":agent("suspicious_dns"),"title":"DNS lookup of a mining pool","evt":{"name":"dns","category":"Network Activity","outcome":"Success"},"date":T,"network":{"device":{"netns":4026531840,"ifindex":2,"ifname":"eth0"},"l3_protocol":"IPv4","l4_protocol":"UDP","source":{"ip":"10.0.0.12","port":41234},"destination":{"ip":"10.0.0.2","port":53},"size":64},"dns":{"id":4711,"question":{"class":"CLASS_INET","type":"A","name":"pool.minexmr.example","size":38,"count":1}},"process":dict(curl,parent=root_bash,ancestors=[root_bash])})
# 6 exit
events.append({"agent":agent("process_exit"),"title":"Process exited","evt":{"name":"exit","category":"Process Activity","outcome":"Success"},"date":T,"exit":{"cause":"EXITED","code":1},"process":dict(curl,exit_time="2024-08-01T12:00:01Z",parent=root_bash,ancestors=[root_bash])})
# 7 mount with dotted keys
mnt=proc(4500,900,"/usr/bin/mount",["mount","-t","tmpfs","tmpfs","/mnt/x"],ino=2400)
events.append({"agent":agent("mount_tmpfs"),"title":"A tmpfs was mounted","evt":{"name":"mount","category":"File Activity","outcome":"Success"},"date":T,"mount":{"mp":{"path":"/mnt","uid":0,"gid":0},"root":{"path":"/","uid":0,"gid":0},"mount_id":412,"parent_mount_id":31,"bind_src_mount_id":0,"device":54,"fs_type":"tmpfs","mountpoint.path":"/mnt/x","source.path":"tmpfs"},"syscall":{"mount":{"fs_type":"tmpfs"}},"process":dict(mnt,parent=root_bash,ancestors=[root_bash])})
# 8 chmod with uint64 inode
chmod=proc(4600,900,"/usr/bin/chmod",["chmod","4755","/tmp/.x/sh"],ino=2500)
ev8={"agent":agent("setuid_tmp"),"title":"setuid bit set on a file in /tmp","evt":{"name":"chmod","category":"File Activity","outcome":"Success"},"date":T,"file":dict(f("/tmp/.x/sh",1,0,0,35309),destination={"mode":2541,"uid":0,"gid":0}),"syscall":{"chmod":{"path":"/tmp/.x/sh","mode":2541,"dirfd":-100}},"process":dict(chmod,parent=root_bash,ancestors=[root_bash])}
events.append(ev8)
# 9 load_module
insmod=proc(4700,900,"/usr/sbin/insmod",["insmod","rootkit.ko"],ino=2600)
events.append({"agent":agent("kernel_module_loaded"),"title":"A kernel module was loaded","evt":{"name":"load_module","category":"Kernel Activity","outcome":"Success"},"date":T,"module":{"name":"rootkit","loaded_from_memory":False,"argv":["debug=1"]},"file":f("/tmp/rootkit.ko",7001),"process":dict(insmod,parent=root_bash,ancestors=[root_bash])})
# 10 unlink under /etc/cron.d
rm=proc(4800,4242,"/bin/rm",["rm","-f","/etc/cron.d/backdoor"],33,33,ino=2700)
events.append({"agent":agent("cron_tamper"),"title":"A file under /etc/cron.d was deleted","evt":{"name":"unlink","category":"File Activity","outcome":"Error"},"date":T,"file":f("/etc/cron.d/backdoor",8001,33,33,33188),"syscall":{"unlink":{"path":"/etc/cron.d/backdoor"}},"process":dict(rm,parent=sh,ancestors=[sh,nginx])})
out=[json.dumps(e,separators=(',',':'),ensure_ascii=False) for e in events]
# uint64 inode, digit for digit
out[7]=out[7].replace('"path":"/tmp/.x/sh","name":"sh","inode":1,','"path":"/tmp/.x/sh","name":"sh","inode":18446744073709551615,',1)
assert '18446744073709551615' in out[7]
open('examples/events.ndjson','w').write('\n'.join(out)+'\n')
