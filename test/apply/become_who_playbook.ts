/** A play that becomes `nobody` and prints who ran its command: the become-password tests' playbook. */
export const BECOME_WHO_PLAYBOOK = `- hosts: all
  gather_facts: false
  become: true
  become_user: nobody
  tasks:
    - name: who
      command: id -un
      register: who
    - debug:
        var: who.stdout
`;
