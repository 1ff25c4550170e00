<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="vi_VN">
<context>
    <name>AmountDialog</name>
    <message>
        <location filename="../../ui/amount_dialog.py" line="32" />
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../ui/amount_dialog.py" line="32" />
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>CashDialog</name>
    <message>
        <location filename="../../ui/sell/cash_dialog.py" line="22" />
        <source>Cash payment</source>
        <translation>Thanh toán tiền mặt</translation>
    </message>
    <message>
        <location filename="../../ui/sell/cash_dialog.py" line="28" />
        <source>Amount due: %1</source>
        <translation>Cần thanh toán: %1</translation>
    </message>
    <message>
        <location filename="../../ui/sell/cash_dialog.py" line="37" />
        <source>Exact</source>
        <translation>Vừa đủ</translation>
    </message>
    <message>
        <location filename="../../ui/sell/cash_dialog.py" line="46" />
        <source>Confirm cash</source>
        <translation>Xác nhận tiền mặt</translation>
    </message>
    <message>
        <location filename="../../ui/sell/cash_dialog.py" line="46" />
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <location filename="../../ui/sell/cash_dialog.py" line="70" />
        <source>Cash received: %1</source>
        <translation>Khách đưa: %1</translation>
    </message>
    <message>
        <location filename="../../ui/sell/cash_dialog.py" line="72" />
        <source>Change: %1</source>
        <translation>Tiền thừa: %1</translation>
    </message>
    <message>
        <location filename="../../ui/sell/cash_dialog.py" line="74" />
        <source>Still due: %1</source>
        <translation>Còn thiếu: %1</translation>
    </message>
</context>
<context>
    <name>DiscountDialog</name>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="25" />
        <source>Percent %</source>
        <translation>Phần trăm %</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="26" />
        <source>Amount</source>
        <translation>Thành tiền</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="34" />
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="38" />
        <source>Damaged item</source>
        <translation>Hàng lỗi</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="38" />
        <source>Price match</source>
        <translation>Khớp giá</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="39" />
        <source>Loyal customer</source>
        <translation>Khách thân thiết</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="39" />
        <source>Staff discount</source>
        <translation>Giảm giá nhân viên</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="40" />
        <source>Promotion</source>
        <translation>Khuyến mãi</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="42" />
        <source>Reason (required)</source>
        <translation>Lý do (bắt buộc)</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="48" />
        <source>Apply</source>
        <translation>Áp dụng</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="48" />
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="81" />
        <source>Enter a percentage such as 15 or 12.5</source>
        <translation>Nhập phần trăm, ví dụ 15 hoặc 12.5</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="82" />
        <source>Enter an amount in the store's currency</source>
        <translation>Nhập số tiền theo đơn vị tiền của cửa hàng</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="84" />
        <source>Enter a discount above zero</source>
        <translation>Nhập mức giảm lớn hơn 0</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="86" />
        <source>A discount cannot be more than 100 %</source>
        <translation>Giảm giá không thể quá 100 %</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="88" />
        <source>Choose or type a reason</source>
        <translation>Chọn hoặc nhập lý do</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="79" />
        <source>Enter a value</source>
        <translation>Nhập giá trị</translation>
    </message>
</context>
<context>
    <name>EnrolWizard</name>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="76" />
        <source>Set up this till</source>
        <translation>Cài đặt máy bán hàng</translation>
    </message>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="77" />
        <source>Ask HQ IT for an enrolment code for your store. Type it, or scan its QR code with the till's scanner.</source>
        <translation>Xin bộ phận IT của HQ mã đăng ký cho cửa hàng. Nhập mã, hoặc quét mã QR bằng máy quét của quầy.</translation>
    </message>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="79" />
        <source>HQ address</source>
        <translation>Địa chỉ HQ</translation>
    </message>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="80" />
        <source>Enrolment code</source>
        <translation>Mã đăng ký</translation>
    </message>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="81" />
        <source>Name of this till</source>
        <translation>Tên máy này</translation>
    </message>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="82" />
        <source>e.g. Counter 1</source>
        <translation>ví dụ: Quầy 1</translation>
    </message>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="83" />
        <source>Enrol and download the store</source>
        <translation>Đăng ký và tải dữ liệu cửa hàng</translation>
    </message>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="93" />
        <source>Type HQ's address, starting with https:// (or http:// on a test network).</source>
        <translation>Nhập địa chỉ HQ, bắt đầu bằng https:// (hoặc http:// trên mạng thử nghiệm).</translation>
    </message>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="97" />
        <source>The enrolment code is at least 6 characters.</source>
        <translation>Mã đăng ký có ít nhất 6 ký tự.</translation>
    </message>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="102" />
        <source>Contacting HQ…</source>
        <translation>Đang kết nối HQ…</translation>
    </message>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="119" />
        <source>Downloading the store: %1 items</source>
        <translation>Đang tải dữ liệu cửa hàng: %1 mục</translation>
    </message>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="123" />
        <source>Enrolled as %1 of %2.</source>
        <translation>Đã đăng ký là %1 của %2.</translation>
    </message>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="132" />
        <source>HQ refused the code: %1. Ask HQ IT for a new one.</source>
        <translation>HQ từ chối mã: %1. Hãy xin IT của HQ mã mới.</translation>
    </message>
    <message>
        <location filename="../../ui/enrol_wizard.py" line="135" />
        <source>HQ cannot be reached at that address. Check the address and the network, then try again.</source>
        <translation>Không kết nối được HQ ở địa chỉ này. Kiểm tra địa chỉ và mạng rồi thử lại.</translation>
    </message>
</context>
<context>
    <name>LoginScreen</name>
    <message>
        <location filename="../../ui/login_screen.py" line="58" />
        <source>Sign in to Storeline</source>
        <translation>Đăng nhập Storeline</translation>
    </message>
    <message>
        <location filename="../../ui/login_screen.py" line="59" />
        <source>PIN</source>
        <translation>Mã PIN</translation>
    </message>
    <message>
        <location filename="../../ui/login_screen.py" line="60" />
        <source>Sign in</source>
        <translation>Đăng nhập</translation>
    </message>
    <message>
        <location filename="../../ui/login_screen.py" line="94" />
        <source>Tap your name</source>
        <translation>Chạm vào tên của bạn</translation>
    </message>
    <message>
        <location filename="../../ui/login_screen.py" line="98" />
        <source>Tap your name first</source>
        <translation>Hãy chọn tên của bạn trước</translation>
    </message>
    <message>
        <location filename="../../ui/login_screen.py" line="109" />
        <source>Wrong PIN. Try again.</source>
        <translation>Sai mã PIN. Vui lòng thử lại.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/shell.py" line="248" />
        <source>Sell</source>
        <translation>Bán hàng</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="248" />
        <source>Customers</source>
        <translation>Khách hàng</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="249" />
        <source>Returns</source>
        <translation>Đổi trả</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="249" />
        <source>Pickups</source>
        <translation>Nhận hàng</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="250" />
        <source>Orders</source>
        <translation>Đơn hàng</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="206" />
        <location filename="../../ui/shell.py" line="250" />
        <source>Manager</source>
        <translation>Quản lý</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="205" />
        <source>Associate</source>
        <translation>Nhân viên</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="205" />
        <source>Cashier</source>
        <translation>Thu ngân</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="235" />
        <source>HQ sync is not set up on this device yet. Sales stay safely on this device.</source>
        <translation>Thiết bị này chưa kết nối đồng bộ HQ. Đơn hàng vẫn được lưu an toàn trên máy.</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="251" />
        <source>Sync</source>
        <translation>Đồng bộ</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="252" />
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="255" />
        <source>Lock</source>
        <translation>Khóa</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="271" />
        <source>Offline: HQ sync is not set up · sales kept on this device, waiting to sync: %1</source>
        <translation>Ngoại tuyến: chưa kết nối đồng bộ HQ · đơn lưu trên máy, chờ đồng bộ: %1</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="279" />
        <source>never</source>
        <translation>chưa lần nào</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="281" />
        <source>Online · waiting to sync: %1 · last sync %2</source>
        <translation>Trực tuyến · chờ đồng bộ: %1 · đồng bộ lần cuối %2</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="283" />
        <source>Offline — sales are kept on this device · waiting to sync: %1 · last sync %2</source>
        <translation>Ngoại tuyến — đơn hàng được lưu trên máy · chờ đồng bộ: %1 · đồng bộ lần cuối %2</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="287" />
        <source>refused by HQ: %1 (see Sync)</source>
        <translation>HQ từ chối: %1 (xem Đồng bộ)</translation>
    </message>
</context>
<context>
    <name>OverrideDialog</name>
    <message>
        <location filename="../../ui/override_dialog.py" line="22" />
        <source>Manager approval</source>
        <translation>Quản lý duyệt</translation>
    </message>
    <message>
        <location filename="../../ui/override_dialog.py" line="30" />
        <source>A manager enters their PIN to approve.</source>
        <translation>Quản lý nhập mã PIN để duyệt.</translation>
    </message>
    <message>
        <location filename="../../ui/override_dialog.py" line="34" />
        <source>Approve</source>
        <translation>Duyệt</translation>
    </message>
    <message>
        <location filename="../../ui/override_dialog.py" line="34" />
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/override_dialog.py" line="52" />
        <source>That PIN cannot approve this.</source>
        <translation>Mã PIN này không có quyền duyệt.</translation>
    </message>
</context>
<context>
    <name>PlannedScreen</name>
    <message>
        <location filename="../../ui/shell.py" line="40" />
        <source>This screen is not available in this version yet.</source>
        <translation>Màn hình này chưa có trong phiên bản này.</translation>
    </message>
</context>
<context>
    <name>SaleCompleteView</name>
    <message>
        <location filename="../../ui/sell/sale_complete.py" line="52" />
        <source>Sale complete</source>
        <translation>Hoàn tất bán hàng</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sale_complete.py" line="53" />
        <source>New sale</source>
        <translation>Đơn mới</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sale_complete.py" line="57" />
        <source>Receipt %1</source>
        <translation>Hóa đơn %1</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sale_complete.py" line="58" />
        <source>Total %1</source>
        <translation>Tổng cộng %1</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sale_complete.py" line="59" />
        <source>Change %1</source>
        <translation>Tiền thừa %1</translation>
    </message>
</context>
<context>
    <name>SellScreen</name>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="216" />
        <source>Scan a barcode or search products</source>
        <translation>Quét mã vạch hoặc tìm sản phẩm</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="217" />
        <source>Item</source>
        <translation>Sản phẩm</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="217" />
        <source>Qty</source>
        <translation>SL</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="217" />
        <source>Price</source>
        <translation>Đơn giá</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="217" />
        <source>Amount</source>
        <translation>Thành tiền</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="218" />
        <source>Subtotal</source>
        <translation>Tạm tính</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="219" />
        <source>Discounts</source>
        <translation>Giảm giá</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="220" />
        <source>VAT included</source>
        <translation>Đã gồm VAT</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="221" />
        <source>Sales tax</source>
        <translation>Thuế bán hàng</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="222" />
        <source>Total</source>
        <translation>Tổng cộng</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="223" />
        <source>Quantity</source>
        <translation>Số lượng</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="224" />
        <source>Remove</source>
        <translation>Xóa dòng</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="225" />
        <location filename="../../ui/sell/sell_screen.py" line="362" />
        <source>Line discount</source>
        <translation>Giảm giá dòng</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="226" />
        <location filename="../../ui/sell/sell_screen.py" line="362" />
        <source>Basket discount</source>
        <translation>Giảm giá đơn</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="227" />
        <location filename="../../ui/sell/sell_screen.py" line="396" />
        <source>Change price</source>
        <translation>Đổi giá</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="228" />
        <source>Void basket</source>
        <translation>Hủy giỏ hàng</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="229" />
        <source>Pay cash</source>
        <translation>Trả tiền mặt</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="250" />
        <source>Unknown barcode %1: not in this store's catalog. Nothing was added.</source>
        <translation>Mã vạch %1 không có trong danh mục của cửa hàng. Chưa thêm gì.</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="253" />
        <source>Not a valid barcode: %1. Nothing was added.</source>
        <translation>Mã vạch không hợp lệ: %1. Chưa thêm gì.</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="284" />
        <source>No products match</source>
        <translation>Không có sản phẩm phù hợp</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="319" />
        <source>Added %1</source>
        <translation>Đã thêm %1</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="331" />
        <source>Quantity: %1</source>
        <translation>Số lượng: %1</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="336" />
        <source>Type a quantity on the keypad, then press Quantity</source>
        <translation>Nhập số lượng trên bàn phím số, rồi bấm Số lượng</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="360" />
        <location filename="../../ui/sell/sell_screen.py" line="393" />
        <source>Add an item first</source>
        <translation>Hãy thêm sản phẩm trước</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="386" />
        <source>A discount above %1 % needs a manager.</source>
        <translation>Giảm giá trên %1 % cần quản lý duyệt.</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="397" />
        <source>New unit price for %1</source>
        <translation>Đơn giá mới cho %1</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="403" />
        <source>Changing a price needs a manager.</source>
        <translation>Đổi giá cần quản lý duyệt.</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="434" />
        <source>The basket is empty</source>
        <translation>Giỏ hàng trống</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="446" />
        <source>Sign in first</source>
        <translation>Hãy đăng nhập trước</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="470" />
        <source>The sale was NOT recorded: %1. The basket is kept; try again.</source>
        <translation>Đơn hàng CHƯA được ghi: %1. Giỏ hàng vẫn giữ nguyên; hãy thử lại.</translation>
    </message>
</context>
<context>
    <name>SettingsScreen</name>
    <message>
        <location filename="../../ui/shell.py" line="66" />
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="67" />
        <source>Store</source>
        <translation>Cửa hàng</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="68" />
        <source>Device</source>
        <translation>Thiết bị</translation>
    </message>
</context>
<context>
    <name>SyncScreen</name>
    <message>
        <location filename="../../ui/sync_screen.py" line="51" />
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="52" />
        <source>Sync now</source>
        <translation>Đồng bộ ngay</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="53" />
        <source>Receipt</source>
        <translation>Hóa đơn</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="53" />
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="54" />
        <source>Created (UTC)</source>
        <translation>Tạo lúc (UTC)</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="54" />
        <source>Attempts</source>
        <translation>Số lần thử</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="55" />
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="68" />
        <source>%1 waiting to reach HQ · %2 refused by HQ · %3 delivered</source>
        <translation>%1 chờ gửi về HQ · %2 bị HQ từ chối · %3 đã gửi</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="71" />
        <source>waiting</source>
        <translation>đang chờ</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="71" />
        <source>refused by HQ</source>
        <translation>HQ từ chối</translation>
    </message>
</context>
</TS>